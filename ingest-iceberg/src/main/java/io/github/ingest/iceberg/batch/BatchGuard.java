package io.github.ingest.iceberg.batch;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * Table operations whose commits succeed only on top of the state a run planned from, and never
 * twice for one run.
 *
 * <p>Iceberg retries a commit that lost a race by refreshing the table and re-applying the change
 * on the new metadata, so a check before committing would not see a batch that another run
 * committed meanwhile. This check runs on the very metadata each attempt builds on; the catalog's
 * atomic swap from that metadata makes it a compare-and-swap. An attempt on metadata that already
 * holds the run's batch (an earlier attempt committed it, but its answer was lost) succeeds without
 * committing again. A run that started before the table's {@link RunFence} is refused: maintenance
 * may have removed its files. A failure of the catalog that does not say whether the swap happened
 * is reported as Iceberg's {@code CommitStateUnknownException}, so nothing is cleaned up after it.
 */
public final class BatchGuard extends ForwardingTableOperations {

  private final String source;
  private final String runId;
  private final long number;
  private final java.time.Instant started;
  private final BatchLedger.Position planned;
  private boolean keysChecked;
  private Long keysReadAt;
  private boolean uncertain;
  private boolean alreadyCommitted;

  private BatchGuard(TableOperations delegate, BatchState batch, BatchLedger.Position planned) {
    super(delegate);
    this.source = batch.source();
    this.runId = batch.runId();
    this.number = batch.number();
    this.started = batch.started();
    this.planned = planned;
  }

  /**
   * Operations that commit {@code batch} only while the table's position of its source is still
   * {@code planned}, the one its run planned from.
   */
  public static BatchGuard after(
      TableOperations delegate, BatchState batch, BatchLedger.Position planned) {
    return new BatchGuard(delegate, batch, planned);
  }

  /** Operations that commit {@code batch}'s dead letters unless the table holds them already. */
  public static BatchGuard once(TableOperations delegate, BatchState batch) {
    return new BatchGuard(delegate, batch, null);
  }

  /**
   * These operations, which also refuse to commit when anything but a rewrite (compaction,
   * manifests) changed the table, or it was rolled back, after snapshot {@code snapshotId} (null: a
   * table without snapshots), the one the batch's deduplication read the business keys from: a key
   * that another run or another writer added meanwhile would be written twice, and a row deleted
   * meanwhile may be the one a duplicate was left out for.
   */
  public BatchGuard keysReadAt(Long snapshotId) {
    this.keysChecked = true;
    this.keysReadAt = snapshotId;
    return this;
  }

  @Override
  public void commit(TableMetadata base, TableMetadata metadata) {
    Optional<Map<String, String>> recorded = BatchLedger.recorded(base, source);
    if (recorded.isPresent() && runId.equals(StateCodec.fromSummary(recorded.get()).runId())) {
      // an earlier attempt committed it (its answer was lost): that is this attempt's success,
      // and Iceberg must not clean up the files that attempt committed
      alreadyCommitted = true;
      return;
    }
    if (planned != null && RunFence.revokes(base, started)) {
      throw new RunRevokedException(
          "Cannot commit batch %s of %s (run %s): table maintenance revoked runs that started"
              + " before %s, and this one started at %s, so files it wrote may have been removed;"
              + " nothing of it is committed, and the next run reads its range again",
          number, source, runId, RunFence.of(base).orElseThrow(), started);
    }
    if (planned != null) {
      BatchLedger.Position found = BatchLedger.position(base, source);
      if (!found.sameAs(planned)) {
        throw new ValidationException(
            "Cannot commit batch %s of %s (run %s): it was planned %s, but the table is now %s;"
                + " another run committed since this one planned, so this batch is dropped",
            number, source, runId, planned, found);
      }
    }
    if (planned != null && keysChecked) {
      checkNoRowsAdded(base);
    }
    try {
      super.commit(base, metadata);
    } catch (CommitFailedException | CommitStateUnknownException e) {
      uncertain |= e instanceof CommitStateUnknownException;
      throw e;
    } catch (RuntimeException e) {
      // Iceberg 1.3.0's JDBC catalog reports a connection lost during the update as a plain
      // failure, and Iceberg would then delete what the commit may have made current
      uncertain = true;
      throw new CommitStateUnknownException(e);
    }
  }

  private void checkNoRowsAdded(TableMetadata base) {
    Snapshot snapshot = base.currentSnapshot();
    while (snapshot != null && !Long.valueOf(snapshot.snapshotId()).equals(keysReadAt)) {
      // a compaction or manifest rewrite keeps every row; any other change may add a key the
      // batch wrote again, or remove one it left out as a duplicate
      if (!DataOperations.REPLACE.equals(snapshot.operation())) {
        throw new ValidationException(
            "Cannot commit batch %s of %s (run %s): snapshot %s (%s: %s rows added, %s deleted)"
                + " changed the table after this run read its business keys from %s; nothing of"
                + " it is committed, and the next run reads its range again",
            number,
            source,
            runId,
            snapshot.snapshotId(),
            snapshot.operation(),
            snapshot.summary().getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0"),
            snapshot.summary().getOrDefault(SnapshotSummary.DELETED_RECORDS_PROP, "0"),
            keysReadAt == null ? "the empty table" : "snapshot " + keysReadAt);
      }
      snapshot = snapshot.parentId() == null ? null : base.snapshot(snapshot.parentId());
    }
    if (snapshot == null && keysReadAt != null) {
      throw new ValidationException(
          "Cannot commit batch %s of %s (run %s): snapshot %s, which this run read its business"
              + " keys from, is no longer in the table's history (rolled back?); nothing of it is"
              + " committed, and the next run reads its range again",
          number, source, runId, keysReadAt);
    }
  }

  /** Whether the table held this run's batch already, so the last attempt committed nothing. */
  public boolean alreadyCommitted() {
    return alreadyCommitted;
  }

  /**
   * Whether an attempt to commit ended in a way that does not say whether it took effect (such as
   * Iceberg's {@code CommitStateUnknownException}).
   */
  public boolean uncertain() {
    return uncertain;
  }
}
