package io.github.ingest.iceberg.deadletter;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.core.internal.DeadLetterColumn;
import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.iceberg.batch.BatchGuard;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.table.TableSchemas;
import io.github.ingest.iceberg.table.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter table of a target table: every rejected record with its Kafka coordinates, raw
 * bytes, batch and reason.
 *
 * <p>Iceberg commits one table at a time, so a batch's dead letters reach their table in two steps.
 * The batch's data files of dead letters are listed in a manifest whose encoding the target table's
 * batch snapshot and state record ({@link StateCodec#DEAD_LETTER_MANIFEST}); that commit is the
 * truth. Then the files are appended to the dead-letter table in a commit that records the batch's
 * run in the dead-letter table's own state property, at most once per run. A run that died in
 * between leaves the target table ahead; the next run {@linkplain #catchUp catches the dead-letter
 * table up} before anything else.
 */
public final class DeadLetterTables {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTables.class);

  /** The columns, as {@link DeadLetterColumn} declares them, in its order. */
  public static final Schema SCHEMA = schema();

  private DeadLetterTables() {}

  private static Schema schema() {
    List<Types.NestedField> fields = new ArrayList<>();
    for (DeadLetterColumn column : DeadLetterColumn.values()) {
      fields.add(
          Types.NestedField.of(
              column.position() + 1,
              !column.required(),
              column.columnName(),
              TableSchemas.type(column.type(), new AtomicInteger())));
    }
    return new Schema(fields);
  }

  /** The dead-letter table {@code identifier}, created if missing. */
  public static Table loadOrCreate(Catalog catalog, TableIdentifier identifier) {
    return Tables.loadOrCreate(catalog, identifier, SCHEMA, "schema", "the dead-letter");
  }

  /**
   * Appends the dead letters listed in {@code manifest} for {@code batch} to {@code deadLetters},
   * with the batch's state, in one commit, unless that table holds the dead letters of the batch's
   * run already.
   */
  public static void adopt(Table deadLetters, BatchState batch, String manifest) {
    deadLetters.refresh();
    if (holds(deadLetters, batch)) {
      return;
    }
    ManifestFile decoded = DeadLetterManifests.decode(manifest, batch);
    BatchLedger.commit(
        deadLetters,
        BatchGuard.once(((HasTableOperations) deadLetters).operations(), batch),
        batch.source(),
        StateCodec.toSummary(batch),
        append -> append.appendManifest(decoded),
        Failpoints.NONE);
    LOG.info(
        "Committed {} dead letters of {} to table {}",
        decoded.addedRowsCount(),
        batch,
        deadLetters.name());
  }

  /**
   * Appends to {@code deadLetters} the dead letters of the newest batch of {@code source} in {@code
   * target} if they are not there yet: its run ended between the two commits. Only the newest can
   * be missing, because every run catches up before it commits a batch.
   *
   * <p>A dead-letter table that is not the one the batch wrote its dead letters for (it was dropped
   * and created again) is left alone, with a warning: old dead letters are not brought back into
   * it. A manifest or a file of it that is gone (orphan-file clean-up removes them, as nothing
   * references them yet) stops the run with {@link ExitCode#BAD_CONFIG}, unless {@code
   * abandonedRunId} names the batch's run.
   */
  public static void catchUp(
      Table target, Table deadLetters, String source, String abandonedRunId) {
    Optional<Map<String, String>> recorded =
        BatchLedger.recorded(((HasTableOperations) target).operations().current(), source);
    if (recorded.isEmpty() || !recorded.get().containsKey(StateCodec.DEAD_LETTER_MANIFEST)) {
      return;
    }
    Map<String, String> summary = recorded.get();
    BatchState batch = StateCodec.fromSummary(summary);
    if (holds(deadLetters, batch)) {
      return;
    }
    String uuid = ((HasTableOperations) deadLetters).operations().current().uuid();
    String expectedUuid = summary.get(StateCodec.DEAD_LETTER_TABLE_UUID);
    boolean otherTable =
        expectedUuid != null
            ? !expectedUuid.equals(uuid)
            : !sameName(deadLetters.name(), summary.getOrDefault(StateCodec.DEAD_LETTER_TABLE, ""));
    if (otherTable) {
      LOG.warn(
          "The dead letters of {} were written for table {} ({}), which was dropped or replaced:"
              + " they are not added to the table of that name now ({})",
          batch,
          summary.get(StateCodec.DEAD_LETTER_TABLE),
          expectedUuid,
          uuid);
      return;
    }
    if (batch.runId().equals(abandonedRunId)) {
      LOG.warn("Abandoning the dead letters of {}, as dead-letters.abandon-run says", batch);
      return;
    }
    ManifestFile manifest =
        DeadLetterManifests.decode(summary.get(StateCodec.DEAD_LETTER_MANIFEST), batch);
    String missing = DeadLetterManifests.missingFile(deadLetters.io(), manifest);
    if (missing != null) {
      throw new IngestException(
          ExitCode.BAD_CONFIG,
          String.format(
              "Cannot add the %d dead letters of batch %d of %s to table %s: their file %s is gone"
                  + " (removed by an orphan-file clean-up before they were added?). The batch's"
                  + " rows are committed. To go on without these dead letters, set"
                  + " dead-letters.abandon-run=%s",
              manifest.addedRowsCount(),
              batch.number(),
              batch.source(),
              deadLetters.name(),
              missing,
              batch.runId()));
    }
    LOG.warn("Catching up the dead letters of {}, whose run ended before it committed them", batch);
    adopt(deadLetters, batch, summary.get(StateCodec.DEAD_LETTER_MANIFEST));
  }

  /**
   * Removes from {@code deadLetters} the dead letters of the batches of {@code source} numbered
   * above {@code kept}: the target table was rolled back to before them, so their records are read
   * again and rejected again under a new number. Only batches whose dead-letter snapshots the table
   * still keeps can be found; returns how many dead letters were removed.
   */
  public static long rollBack(Table deadLetters, String source, long kept) {
    deadLetters.refresh();
    Set<String> live = new HashSet<>();
    if (deadLetters.currentSnapshot() != null) {
      try (CloseableIterable<FileScanTask> tasks = deadLetters.newScan().planFiles()) {
        tasks.forEach(task -> live.add(task.file().path().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    DeleteFiles delete = deadLetters.newDelete();
    long removed = 0;
    for (Snapshot snapshot : deadLetters.snapshots()) {
      if (!StateCodec.isBatchOf(source, snapshot.summary())
          || StateCodec.fromSummary(snapshot.summary()).number() <= kept) {
        continue;
      }
      for (DataFile file : snapshot.addedDataFiles(deadLetters.io())) {
        if (live.remove(file.path().toString())) {
          delete.deleteFile(file);
          removed += file.recordCount();
        }
      }
    }
    if (removed > 0) {
      delete.set(StateCodec.ROLLED_BACK_AFTER, Long.toString(kept));
      delete.commit();
      LOG.warn(
          "Removed {} dead letters of batches after batch {} of {}, which were rolled back",
          removed,
          kept,
          source);
    }
    return removed;
  }

  /**
   * The runs whose dead letters a crash left between the target commit and the dead-letter commit,
   * for any source of {@code target}: their files are referenced by no snapshot yet, the next run
   * of the source needs them, and maintenance must not remove them as orphans.
   */
  public static Set<String> pendingRuns(Table target, Table deadLetters) {
    Set<String> pending = new HashSet<>();
    ((HasTableOperations) target)
        .operations()
        .current()
        .properties()
        .forEach(
            (key, value) -> {
              if (key.startsWith(StateCodec.STATE_PROPERTY_PREFIX)) {
                Map<String, String> state = StateCodec.fromJson(value);
                BatchState batch = StateCodec.fromSummary(state);
                if (state.containsKey(StateCodec.DEAD_LETTER_MANIFEST)
                    && !holds(deadLetters, batch)) {
                  pending.add(batch.runId());
                }
              }
            });
    return pending;
  }

  /** Whether the names are of one table: catalogs prefix the identifier with their name. */
  private static boolean sameName(String loaded, String recorded) {
    return loaded.equals(recorded) || loaded.endsWith("." + recorded);
  }

  /** Whether {@code deadLetters} holds the dead letters of {@code batch}'s run. */
  private static boolean holds(Table deadLetters, BatchState batch) {
    return BatchLedger.landed(deadLetters, batch.source(), batch.runId());
  }
}
