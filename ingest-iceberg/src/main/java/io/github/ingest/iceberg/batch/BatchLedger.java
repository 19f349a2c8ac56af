package io.github.ingest.iceberg.batch;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.IngestException;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Where a table keeps the batch state of each source, and what it means for the next batch.
 *
 * <p>The state of a source is a table property, {@code ingest.state.<source key>}, set in the same
 * transaction as each batch's append: table maintenance (snapshot expiry, compaction, manifest
 * rewrites) keeps properties, so it cannot reset a source. The batch's snapshot summary records the
 * same values for lineage, and for rollbacks: a table whose current history no longer holds the
 * batch the property names was rolled back, and the next batch continues after the newest batch
 * that history still holds, under a new number. Tables written before the property existed are read
 * from their history once and carried forward.
 *
 * <pre>{@code
 * BatchLedger.Position position = BatchLedger.position(table, source);
 * long number = position.nextNumber();
 * Optional<Map<Integer, Long>> starts = position.startOffsets();
 * }</pre>
 */
public final class BatchLedger {

  private BatchLedger() {}

  /** The position of a source that has no batch, or of a table that does not exist yet. */
  public static Position newSource() {
    return new Position(null, null, false);
  }

  /** Where the next batch of {@code source} starts in {@code table} as it is now. */
  public static Position position(Table table, String source) {
    return position(metadata(table), source);
  }

  /** Where the next batch of {@code source} starts in {@code metadata}. */
  public static Position position(TableMetadata metadata, String source) {
    Optional<Map<String, String>> recorded = recorded(metadata, source);
    if (recorded.isEmpty()) {
      return new Position(null, null, false);
    }
    BatchState last = StateCodec.fromSummary(recorded.get());
    Snapshot oldest = null;
    for (Snapshot snapshot : ancestors(metadata)) {
      oldest = snapshot;
      if (StateCodec.isBatchOf(source, snapshot.summary())) {
        BatchState found = StateCodec.fromSummary(snapshot.summary());
        if (found.runId().equals(last.runId()) || found.number() > last.number()) {
          return new Position(found, found, false);
        }
        return new Position(last, found, true);
      }
    }
    boolean expiredBefore = oldest != null && oldest.parentId() != null;
    if (expiredBefore) {
      // the history that would tell is expired: the property is the truth
      return new Position(last, last, false);
    }
    return new Position(last, null, true);
  }

  /**
   * Refuses to start {@code source} afresh on a table that holds rows already, unless {@code
   * acceptedSnapshotId} is the id of the table's current snapshot: its state may have been removed
   * (an {@code ALTER TABLE ... UNSET TBLPROPERTIES}, a tool that rewrote the properties, with the
   * history expired), and a fresh start would ingest its records again.
   *
   * @throws IngestException with {@link ExitCode#BAD_CONFIG}, naming the setting and the id
   */
  public static void checkNewSource(Table table, String source, String acceptedSnapshotId) {
    Snapshot current = table.currentSnapshot();
    if (current == null || Long.toString(current.snapshotId()).equals(acceptedSnapshotId)) {
      return;
    }
    long rows =
        PropertyUtil.propertyAsLong(current.summary(), SnapshotSummary.TOTAL_RECORDS_PROP, -1);
    if (rows == 0) {
      return;
    }
    throw new IngestException(
        ExitCode.BAD_CONFIG,
        String.format(
            "Cannot start %s as a new source on table %s: the table holds %s rows but no batch"
                + " state of this source (was its %s property removed and the history expired?)."
                + " Starting afresh reads from the consumer group's offsets or"
                + " kafka.starting-offsets and can ingest records twice. If the source is new to"
                + " this table, or to accept that, set table.accept-new-source=%d",
            source,
            table.name(),
            rows < 0 ? "some" : Long.toString(rows),
            StateCodec.propertyKey(source),
            current.snapshotId()));
  }

  /**
   * The summary properties of the newest batch of {@code source} ever committed to the table: its
   * state property, else, for tables written before it existed, the newest batch in the current
   * history.
   */
  public static Optional<Map<String, String>> recorded(TableMetadata metadata, String source) {
    String json = metadata.properties().get(StateCodec.propertyKey(source));
    if (json != null) {
      return Optional.of(StateCodec.fromJson(json));
    }
    for (Snapshot snapshot : ancestors(metadata)) {
      if (StateCodec.isBatchOf(source, snapshot.summary())) {
        return Optional.of(snapshot.summary());
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the batch of run {@code runId} is in the table: the source's state names it, or a
   * snapshot the table still keeps records it.
   */
  public static boolean landed(Table table, String source, String runId) {
    TableMetadata metadata = metadata(table);
    Optional<Map<String, String>> recorded = recorded(metadata, source);
    return recorded.isPresent() && runId.equals(StateCodec.fromSummary(recorded.get()).runId())
        || snapshotOf(table, source, runId).isPresent();
  }

  /** The snapshot that committed the batch of run {@code runId}, if the table still keeps it. */
  public static Optional<Snapshot> snapshotOf(Table table, String source, String runId) {
    for (Snapshot snapshot : metadata(table).snapshots()) {
      if (StateCodec.isBatchOf(source, snapshot.summary())
          && runId.equals(StateCodec.fromSummary(snapshot.summary()).runId())) {
        return Optional.of(snapshot);
      }
    }
    return Optional.empty();
  }

  static TableMetadata metadata(Table table) {
    return ((HasTableOperations) table).operations().current();
  }

  private static Iterable<Snapshot> ancestors(TableMetadata metadata) {
    Snapshot current = metadata.currentSnapshot();
    if (current == null) {
      return Collections.emptyList();
    }
    return SnapshotUtil.ancestorsOf(current.snapshotId(), metadata::snapshot);
  }

  /**
   * Commits one batch to {@code table} through {@code guard}, in one transaction: a snapshot that
   * appends what {@code files} adds and records {@code state} in its summary, and the same values
   * as the state property of {@code source}, with this release's {@link BatchFormat}. The one way a
   * batch reaches a table, its target or its dead-letter table.
   */
  public static void commit(
      Table table,
      BatchGuard guard,
      String source,
      Map<String, String> state,
      Consumer<AppendFiles> files,
      Failpoints failpoints) {
    Transaction transaction = new BaseTable(guard, table.name()).newTransaction();
    AppendFiles append = transaction.newAppend();
    files.accept(append);
    state.forEach(append::set);
    append.commit();
    UpdateProperties properties =
        transaction
            .updateProperties()
            .set(StateCodec.propertyKey(source), StateCodec.toJson(state));
    BatchFormat.stamp(properties);
    properties.commit();
    failpoints.reach(Failpoints.BEFORE_COMMIT);
    transaction.commitTransaction();
  }

  /**
   * Where the next batch of a source starts: after the newest batch ever committed, or, after a
   * rollback, after the newest batch the table's current history still holds.
   */
  public static final class Position implements Serializable {
    private static final long serialVersionUID = 1L;

    private final BatchState last;
    private final BatchState after;
    private final boolean rolledBack;

    private Position(BatchState last, BatchState after, boolean rolledBack) {
      this.last = last;
      this.after = after;
      this.rolledBack = rolledBack;
    }

    /** The newest batch ever committed; the next number follows it. */
    public Optional<BatchState> last() {
      return Optional.ofNullable(last);
    }

    /** The batch the next one continues after; empty for a new source or a rollback past all. */
    public Optional<BatchState> after() {
      return Optional.ofNullable(after);
    }

    /** Whether the table was rolled back to before the newest batch ever committed. */
    public boolean rolledBack() {
      return rolledBack;
    }

    /** 1 for a new source, else one more than the newest number ever committed. */
    public long nextNumber() {
      return last == null ? 1 : last.number() + 1;
    }

    /**
     * Per partition, where the next batch starts: the stop offsets of the batch it continues after;
     * after a rollback past the first batch, the first batch's start offsets (a partition not among
     * them starts at its earliest offset). Empty for a new source.
     */
    public Optional<Map<Integer, Long>> startOffsets() {
      if (after != null) {
        return Optional.of(after.stopOffsets());
      }
      return last().map(BatchState::origin);
    }

    /** The Kafka topic id the batch to continue after read; {@code ""} if unknown. */
    public String topicId() {
      return after != null ? after.topicId() : last == null ? "" : last.topicId();
    }

    /** The start offsets of the source's first batch; empty if unknown. */
    public Map<Integer, Long> origin() {
      return last == null ? Map.of() : last.origin();
    }

    /** Whether {@code other} continues from the same batches: nothing was committed in between. */
    public boolean sameAs(Position other) {
      return runId(last).equals(runId(other.last))
          && runId(after).equals(runId(other.after))
          && rolledBack == other.rolledBack;
    }

    private static String runId(BatchState batch) {
      return batch == null ? "" : batch.runId();
    }

    @Override
    public String toString() {
      if (last == null) {
        return "a new source";
      }
      if (!rolledBack) {
        return "after " + last;
      }
      return "after a rollback to "
          + (after == null ? "before the first batch" : "batch " + after.number())
          + " (the newest batch ever committed is "
          + last.number()
          + ")";
    }
  }
}
