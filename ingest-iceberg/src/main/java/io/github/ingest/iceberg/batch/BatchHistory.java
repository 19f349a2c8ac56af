package io.github.ingest.iceberg.batch;

import io.github.ingest.core.batch.BatchState;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
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
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
      if (BatchState.isBatchOf(source, snapshot.summary())) {
        return Optional.of(BatchState.fromSummary(snapshot.summary()));
      }
    }
    return Optional.empty();
  }
}
