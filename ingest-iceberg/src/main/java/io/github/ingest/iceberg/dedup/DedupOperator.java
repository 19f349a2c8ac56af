package io.github.ingest.iceberg.dedup;

import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.RecordCounts;
import java.io.Serializable;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.OutputTag;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the records of a batch whose business key the batch or the table holds already. Its input
 * is rows of the table with three more fields, the record's Kafka partition, offset and timestamp
 * ({@link #COORDINATES}), routed by the key's hash so that every record of a key reaches the same
 * task; it passes on the table's row of each record whose key is new.
 *
 * <p>Within a batch the first record of a key to arrive is kept; records of one Kafka partition
 * arrive in offset order. A record whose key the batch or the table holds with the same values in
 * the compared columns (those from the record's value) is a duplicate: counted, and skipped or sent
 * to the dead-letter table as the {@link Deduplication} says. One with other values is a bad
 * record, under the bad-record policy, and its reason shows both values where they are known.
 */
public final class DedupOperator extends AbstractStreamOperator<RowData>
    implements OneInputStreamOperator<RowData, RowData>, BoundedOneInput {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DedupOperator.class);

  /** The bits of a record's offset in a key's coordinates; the partition is in the rest. */
  private static final long OFFSETS = (1L << 48) - 1;

  /** The fields after a table row in the operator's input: partition, offset, timestamp. */
  public static final int COORDINATES = 3;

  /** The {@code error_kind} of a duplicate in the dead-letter table. */
  public static final String DUPLICATE = "DUPLICATE";

  /** The {@code error_kind} of a record whose key was written with other values. */
  public static final String CONFLICTING_DUPLICATE = "CONFLICTING_DUPLICATE";

  /** Dead-letter rows of duplicates and conflicts. */
  public static final OutputTag<RowData> DEAD_LETTERS =
      new OutputTag<>("duplicate-dead-letters", TypeInformation.of(RowData.class));

  /** One {@link RecordCounts} per task at the end of its input. */
  public static final OutputTag<RecordCounts> COUNTS =
      new OutputTag<>("duplicate-counts", TypeInformation.of(RecordCounts.class));

  /** Makes the dead-letter row of a record left out, from its coordinates and reason. */
  @FunctionalInterface
  public interface DeadLetters extends Serializable {
    RowData row(int partition, long offset, long timestamp, String kind, String message);
  }

  private final TableLoader tableLoader;
  private final Long snapshotId;
  private final Deduplication dedup;
  private final RowType tableType;
  private final BadRecordPolicy.Action onConflict;
  private final DeadLetters deadLetters;

  transient TableKeys tableKeys;
  private transient RowDigest keys;
  private transient RowDigest compared;
  private transient DuplicateText text;
  private transient LongMap seen;
  private transient long budget;
  private transient ProjectedRowData tableRow;
  private transient StreamRecord<RowData> reused;
  private transient long duplicates;
  private transient long conflicts;
  private transient long deadLettered;
  private transient String firstConflict;

  /**
   * Deduplication of rows of {@code table} against its snapshot {@code snapshotId} (null: the table
   * had none): conflicts go as {@code onConflict} says, dead letters are made by {@code
   * deadLetters}.
   */
  public DedupOperator(
      TableLoader tableLoader,
      Table table,
      Long snapshotId,
      Deduplication dedup,
      BadRecordPolicy.Action onConflict,
      DeadLetters deadLetters) {
    this.tableLoader = tableLoader;
    this.snapshotId = snapshotId;
    this.dedup = dedup;
    this.tableType = FlinkSchemaUtil.convert(table.schema());
    this.onConflict = onConflict;
    this.deadLetters = deadLetters;
  }

  @Override
  public void open() throws Exception {
    super.open();
    tableLoader.open();
    Table table = tableLoader.loadTable();
    int tasks = getRuntimeContext().getNumberOfParallelSubtasks();
    // half of the heap for the batch's and the table's keys, shared by the tasks
    budget = Runtime.getRuntime().maxMemory() / 2 / tasks;
    seen = new LongMap(2);
    tableKeys =
        new TableKeys(
            table,
            snapshotId,
            dedup,
            getRuntimeContext().getIndexOfThisSubtask(),
            tasks,
            budget,
            seen::bytes);
    keys = new RowDigest(tableType, dedup.keyPositions());
    compared = new RowDigest(tableType, dedup.comparedPositions());
    text = new DuplicateText(dedup, keys, compared, tableKeys.storedValues());
    int[] projection = new int[tableType.getFieldCount()];
    for (int i = 0; i < projection.length; i++) {
      projection[i] = i;
    }
    tableRow = ProjectedRowData.from(projection);
    reused = new StreamRecord<>(null);
  }

  @Override
  public void processElement(StreamRecord<RowData> element) {
    RowData row = element.getValue();
    if (keys.hasNull(row)) {
      // no key, nothing to compare: written as it is
      output.collect(reused.replace(tableRow.replaceRow(row)));
      return;
    }
    long key = keys.of(row);
    long fingerprint = compared.of(row);
    int slot = seen.probe(key);
    if (slot >= 0) {
      long first = seen.second(slot);
      Supplier<String> where =
          () ->
              String.format(
                  "first read in this batch at partition %d, offset %d",
                  first >>> 48, first & OFFSETS);
      if (seen.first(slot) == fingerprint) {
        duplicate(row, where);
      } else {
        conflict(row, where.get() + ", with other values; this record has " + text.values(row));
      }
      return;
    }
    TableKeys.Stored stored = tableKeys.find(row, key);
    if (stored != null) {
      String batch = stored.batch >= 0 ? "batch " + stored.batch : "data file " + stored.file;
      if (stored.fingerprint == fingerprint) {
        duplicate(row, () -> "first written in " + batch);
      } else {
        conflict(
            row, "written in " + batch + " with other values: " + text.differences(row, stored));
      }
      return;
    }
    if (seen.size() % 65_536 == 0
        && LongMap.bytesFor(seen.size() + 65_536, 2) + tableKeys.bytes() > budget) {
      throw new IllegalStateException(
          String.format(
              "Deduplication cannot hold the business keys of this batch: %,d keys in this task"
                  + " so far, which with the table's keys is more than the %d MiB it may take"
                  + " (half of the heap, shared by %d tasks); lower dedup.max-batch-records or"
                  + " dedup.window, or give the job more heap (JAVA_OPTS=-Xmx...)",
              seen.size(), budget >> 20, getRuntimeContext().getNumberOfParallelSubtasks()));
    }
    seen.insert(slot, key, fingerprint, (long) partition(row) << 48 | offset(row));
    output.collect(reused.replace(tableRow.replaceRow(row)));
  }

  /** A duplicate, {@code where} its key was first: its reason is made only if it is kept. */
  private void duplicate(RowData row, Supplier<String> where) {
    duplicates++;
    if (dedup.action() == Deduplication.Action.DEAD_LETTER) {
      deadLettered++;
      String reason = "duplicate of " + text.key(row) + ", " + where.get();
      output.collect(DEAD_LETTERS, new StreamRecord<>(deadLetter(row, DUPLICATE, reason)));
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("Skipped a duplicate of {}, {} ({})", text.key(row), where.get(), location(row));
    }
  }

  private void conflict(RowData row, String where) {
    String reason = text.key(row) + " was " + where;
    if (onConflict == BadRecordPolicy.Action.FAIL) {
      throw new IllegalStateException("Bad record: " + reason + " (" + location(row) + ")");
    }
    conflicts++;
    if (firstConflict == null) {
      firstConflict = reason + " (" + location(row) + ")";
    }
    if (onConflict == BadRecordPolicy.Action.DEAD_LETTER) {
      deadLettered++;
      output.collect(
          DEAD_LETTERS, new StreamRecord<>(deadLetter(row, CONFLICTING_DUPLICATE, reason)));
    } else {
      LOG.warn("Skipped a bad record: {} ({})", reason, location(row));
    }
  }

  private RowData deadLetter(RowData row, String kind, String reason) {
    return deadLetters.row(partition(row), offset(row), timestamp(row), kind, reason);
  }

  private String location(RowData row) {
    return "partition " + partition(row) + ", offset " + offset(row);
  }

  private int partition(RowData row) {
    return row.getInt(tableType.getFieldCount());
  }

  private long offset(RowData row) {
    return row.getLong(tableType.getFieldCount() + 1);
  }

  private long timestamp(RowData row) {
    return row.getLong(tableType.getFieldCount() + 2);
  }

  @Override
  public void endInput() {
    LOG.info(
        "Deduplication {}: {} keys of this batch, {} duplicates, {} conflicts; {}; {} MiB of"
            + " keys held",
        dedup,
        seen.size(),
        duplicates,
        conflicts,
        tableKeys.reads(),
        (seen.bytes() + tableKeys.bytes()) >> 20);
    output.collect(
        COUNTS,
        new StreamRecord<>(
            RecordCounts.deduplicated(duplicates, conflicts, deadLettered, firstConflict)));
  }

  @Override
  public void close() throws Exception {
    try {
      tableLoader.close();
    } finally {
      super.close();
    }
  }
}
