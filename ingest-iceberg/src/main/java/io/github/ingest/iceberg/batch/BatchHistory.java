package io.github.ingest.iceberg.batch;

import io.github.ingest.core.batch.BatchState;
import java.util.Optional;
import java.util.function.Function;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.util.SnapshotUtil;

/** Reads the batches a table records, from its snapshot summaries. */
public final class BatchHistory {

  private BatchHistory() {}

  /**
   * The newest committed batch of {@code source} in the history of the table's current snapshot, if
   * any.
   */
  public static Optional<BatchState> latest(Table table, String source) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return Optional.empty();
    }
    return latest(current, table::snapshot, source);
  }

  /**
   * The newest committed batch of {@code source} in the history of the current snapshot of {@code
   * metadata}, if any.
   */
  public static Optional<BatchState> latest(TableMetadata metadata, String source) {
    Snapshot current = metadata.currentSnapshot();
    if (current == null) {
      return Optional.empty();
    }
    return latest(current, metadata::snapshot, source);
  }

  private static Optional<BatchState> latest(
      Snapshot current, Function<Long, Snapshot> lookup, String source) {
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), lookup)) {
      if (BatchState.isBatchOf(source, snapshot.summary())) {
        return Optional.of(BatchState.fromSummary(snapshot.summary()));
      }
    }
    return Optional.empty();
  }
}
