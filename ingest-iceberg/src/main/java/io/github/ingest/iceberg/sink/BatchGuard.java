package io.github.ingest.iceberg.sink;

import io.github.ingest.core.batch.BatchState;
import io.github.ingest.iceberg.batch.BatchHistory;
import java.util.Optional;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * Table operations whose commits succeed only on top of the batch a run planned from: the newest
 * batch of the source in the metadata a commit builds on must be the planned batch's predecessor.
 *
 * <p>Iceberg retries a commit that lost a race by refreshing the table and re-applying the change
 * on the new metadata, so a check before committing would not see a batch that another run
 * committed meanwhile. This check runs on the very metadata each attempt builds on; the catalog's
 * atomic swap from that metadata makes it a compare-and-swap.
 */
public final class BatchGuard extends ForwardingTableOperations {

  private final BatchState planned;
  private final boolean strict;

  private BatchGuard(TableOperations delegate, BatchState planned, boolean strict) {
    super(delegate);
    this.planned = planned;
    this.strict = strict;
  }

  /**
   * Operations that commit {@code planned} only on top of its predecessor: with {@code strict}, the
   * newest batch of the source must be the one numbered just below, else any lower one (a table
   * that only some batches write to, such as a dead-letter table).
   */
  public static BatchGuard after(TableOperations delegate, BatchState planned, boolean strict) {
    return new BatchGuard(delegate, planned, strict);
  }

  @Override
  public void commit(TableMetadata base, TableMetadata metadata) {
    Optional<BatchState> newest = BatchHistory.latest(base, planned.source());
    long expected = planned.number() - 1;
    long found = newest.map(BatchState::number).orElse(0L);
    if (strict ? found != expected : found > expected) {
      throw new ValidationException(
          "Cannot commit batch %s of %s: the table's newest batch of this source is %s, not %s;"
              + " another run committed since this one planned, so this batch is dropped",
          planned.number(),
          planned.source(),
          found == 0 ? "none" : "batch " + found,
          expected == 0 ? "none" : "batch " + expected);
    }
    super.commit(base, metadata);
  }
}
