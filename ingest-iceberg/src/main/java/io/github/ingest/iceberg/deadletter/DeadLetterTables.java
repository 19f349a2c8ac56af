package io.github.ingest.iceberg.deadletter;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.RunFiles;
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
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.GenericManifestFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
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
   * Writes a manifest listing {@code files}, next to {@code deadLetters}' metadata, and returns its
   * encoding for a target snapshot summary.
   */
  public static String writeManifest(Table deadLetters, List<DataFile> files, BatchState batch) {
    // named after its run, as the batch's data files are: maintenance tells an orphan by its name
    String location =
        ((HasTableOperations) deadLetters)
            .operations()
            .metadataFileLocation(RunFiles.deadLetterManifest(batch));
    ManifestWriter<DataFile> writer =
        ManifestFiles.write(deadLetters.spec(), deadLetters.io().newOutputFile(location));
    try {
      try {
        files.forEach(writer::add);
      } finally {
        writer.close();
      }
      return Base64.getEncoder().encodeToString(ManifestFiles.encode(writer.toManifestFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the dead-letter manifest " + location, e);
    }
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
    ManifestFile decoded = decode(manifest, batch);
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
    ManifestFile manifest = decode(summary.get(StateCodec.DEAD_LETTER_MANIFEST), batch);
    String missing = missingFile(deadLetters.io(), manifest);
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

  /** The first file of {@code manifest}, or the manifest itself, that does not exist; or null. */
  private static String missingFile(FileIO io, ManifestFile manifest) {
    if (!exists(io, manifest.path())) {
      return manifest.path();
    }
    // a manifest not yet in a snapshot has no snapshot id, which reading it wants
    ManifestFile readable = GenericManifestFile.copyOf(manifest).withSnapshotId(0L).build();
    try (CloseableIterable<String> paths = ManifestFiles.readPaths(readable, io)) {
      for (String path : paths) {
        if (!exists(io, path)) {
          return path;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the dead-letter manifest " + manifest.path(), e);
    }
    return null;
  }

  private static boolean exists(FileIO io, String path) {
    try {
      return io.newInputFile(path).exists();
    } catch (NotFoundException e) {
      return false; // in-memory and some other file systems say so at once
    }
  }

  private static ManifestFile decode(String manifest, BatchState batch) {
    try {
      return ManifestFiles.decode(Base64.getDecoder().decode(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot decode the dead-letter manifest of " + batch, e);
    }
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
