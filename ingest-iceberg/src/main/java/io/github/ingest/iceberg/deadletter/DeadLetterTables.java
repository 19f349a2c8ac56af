package io.github.ingest.iceberg.deadletter;

import io.github.ingest.core.batch.BatchState;
import io.github.ingest.iceberg.batch.BatchHistory;
import io.github.ingest.iceberg.sink.BatchGuard;
import io.github.ingest.iceberg.table.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter table of a target table: every rejected record with its Kafka coordinates, raw
 * bytes, batch and reason.
 *
 * <p>Iceberg commits one table at a time, so a batch's dead letters reach their table in two steps.
 * The batch's data files of dead letters are listed in a manifest whose encoding the target table's
 * batch snapshot records ({@link #MANIFEST}); that snapshot is the truth. Then the files are
 * appended to the dead-letter table in a snapshot that records the same source and batch number, at
 * most once per batch. A run that died in between leaves the target table ahead; the next run
 * {@linkplain #catchUp catches the dead-letter table up} before anything else.
 */
public final class DeadLetterTables {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTables.class);

  /** Summary key of a target batch snapshot: the dead-letter table's name. */
  public static final String TABLE = BatchState.PREFIX + "dead-letters.table";

  /** Summary key of a target batch snapshot: the encoded manifest of its dead-letter files. */
  public static final String MANIFEST = BatchState.PREFIX + "dead-letters.manifest";

  /** The columns, in the order of {@code DeadLetterRows}. */
  public static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "flink_log_batch_number", Types.StringType.get()),
          Types.NestedField.required(2, "flink_log_file_name", Types.StringType.get()),
          Types.NestedField.required(3, "flink_log_batch_timestamp", Types.StringType.get()),
          Types.NestedField.required(4, "source_endpoint", Types.StringType.get()),
          Types.NestedField.required(5, "source_group", Types.StringType.get()),
          Types.NestedField.required(6, "kafka_topic", Types.StringType.get()),
          Types.NestedField.required(7, "kafka_partition", Types.IntegerType.get()),
          Types.NestedField.required(8, "kafka_offset", Types.LongType.get()),
          Types.NestedField.required(9, "kafka_timestamp", Types.TimestampType.withZone()),
          Types.NestedField.optional(10, "kafka_key", Types.BinaryType.get()),
          Types.NestedField.optional(11, "kafka_value", Types.BinaryType.get()),
          Types.NestedField.optional(12, "kafka_value_text", Types.StringType.get()),
          Types.NestedField.required(13, "error_kind", Types.StringType.get()),
          Types.NestedField.optional(14, "error_field", Types.StringType.get()),
          Types.NestedField.required(15, "error_message", Types.StringType.get()));

  private DeadLetterTables() {}

  /** The dead-letter table {@code identifier}, created if missing. */
  public static Table loadOrCreate(Catalog catalog, TableIdentifier identifier) {
    return Tables.loadOrCreate(catalog, identifier, SCHEMA, "schema", "the dead-letter");
  }

  /**
   * Writes a manifest listing {@code files}, next to {@code deadLetters}' metadata, and returns its
   * encoding for a target snapshot summary.
   */
  public static String writeManifest(Table deadLetters, List<DataFile> files, String runId) {
    String location =
        ((HasTableOperations) deadLetters)
            .operations()
            .metadataFileLocation("dead-letters-" + runId + ".avro");
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
   * Appends the dead letters that the target snapshot summary of {@code batch} lists to {@code
   * deadLetters}, unless that table already holds this batch of the source.
   */
  public static void adopt(Table deadLetters, BatchState batch, String manifest) {
    deadLetters.refresh();
    if (holds(deadLetters, batch)) {
      return;
    }
    ManifestFile decoded;
    try {
      decoded = ManifestFiles.decode(Base64.getDecoder().decode(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot decode the dead-letter manifest of " + batch, e);
    }
    BatchGuard guard =
        BatchGuard.after(((HasTableOperations) deadLetters).operations(), batch, false);
    AppendFiles append =
        new BaseTable(guard, deadLetters.name()).newAppend().appendManifest(decoded);
    Long records = decoded.addedRowsCount();
    batch.toSummary().forEach(append::set);
    append.commit();
    LOG.info("Committed {} dead letters of {} to table {}", records, batch, deadLetters.name());
  }

  /**
   * Appends to {@code deadLetters} the dead letters of every batch of {@code source} in {@code
   * target} that are not there yet: those of batches whose run died after the target commit.
   */
  public static void catchUp(Table target, Table deadLetters, String source) {
    Optional<BatchState> held = BatchHistory.latest(deadLetters, source);
    long heldNumber = held.map(BatchState::number).orElse(0L);
    Deque<Snapshot> missing = new ArrayDeque<>();
    if (target.currentSnapshot() != null) {
      for (Snapshot snapshot :
          SnapshotUtil.ancestorsOf(target.currentSnapshot().snapshotId(), target::snapshot)) {
        Map<String, String> summary = snapshot.summary();
        if (!BatchState.isBatchOf(source, summary)) {
          continue;
        }
        if (BatchState.fromSummary(summary).number() <= heldNumber) {
          break;
        }
        if (summary.containsKey(MANIFEST)
            && deadLetters.name().endsWith(summary.getOrDefault(TABLE, ""))) {
          missing.push(snapshot);
        }
      }
    }
    for (Snapshot snapshot : missing) {
      BatchState batch = BatchState.fromSummary(snapshot.summary());
      LOG.warn(
          "Catching up the dead letters of {}, whose run ended before it committed them", batch);
      adopt(deadLetters, batch, snapshot.summary().get(MANIFEST));
    }
  }

  private static boolean holds(Table deadLetters, BatchState batch) {
    if (deadLetters.currentSnapshot() == null) {
      return false;
    }
    for (Snapshot snapshot :
        SnapshotUtil.ancestorsOf(
            deadLetters.currentSnapshot().snapshotId(), deadLetters::snapshot)) {
      if (BatchState.isBatchOf(batch.source(), snapshot.summary())
          && BatchState.fromSummary(snapshot.summary()).number() == batch.number()) {
        return true;
      }
    }
    return false;
  }
}
