package io.github.ingest.iceberg.sink;

import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;

/**
 * How a batch's rows reach its writers, chosen per batch before it runs, and why.
 *
 * <p>{@link Kind#BY_PARTITION} sends all rows of a table partition to one writer: the batch writes
 * one file per partition (and target file size), at the price of an exchange that serializes every
 * row and of one writer doing the Parquet work of a partition alone. {@link Kind#BY_WRITER} keeps
 * rows on the writer of the reader that read them: no exchange, every writer busy, and up to one
 * file per partition and writer.
 *
 * <p>The rule ({@link Choice#AUTO}, the default): a table partitioned with {@code
 * write.distribution-mode} other than {@code none}, written by more than one writer, is written by
 * partition while the batch's estimated data would give each writer less than one Parquet row group
 * ({@code write.parquet.row-group-size-bytes}) in each partition; by writer from there on, where
 * each writer's files hold at least a full row group, so the extra files cost readers little and
 * every core writes. The estimate is the offsets to read times the bytes a record takes in the
 * table's data files (its current snapshot's totals, or {@value #ASSUMED_BYTES_PER_RECORD} bytes
 * for a table without data), spread over as many partitions as the table's last append changed (one
 * if none is known).
 */
public final class Routing {

  /** Where rows go. */
  public enum Kind {
    /** All rows of a partition to one writer: one file per partition. */
    BY_PARTITION("by partition"),
    /** Rows stay with the writer of their reader: no exchange, every writer busy. */
    BY_WRITER("by writer");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** What the run asks for: the rule, or one kind whatever the batch. */
  public enum Choice {
    AUTO,
    PARTITION,
    WRITER;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The bytes a record is assumed to take in Parquet when the table holds none yet. */
  static final long ASSUMED_BYTES_PER_RECORD = 100;

  private final Kind kind;
  private final String reason;

  private Routing(Kind kind, String reason) {
    this.kind = kind;
    this.reason = reason;
  }

  /** A routing with the reason a person reads in the run's output. */
  public static Routing of(Kind kind, String reason) {
    return new Routing(kind, reason);
  }

  /**
   * What the table's {@code write.distribution-mode} alone asks for, for a writer that plans no
   * batch.
   */
  public static Routing ofTable(Table table) {
    if (table.spec().isUnpartitioned()) {
      return new Routing(Kind.BY_WRITER, "the table is not partitioned");
    }
    if (distributesByWriter(table)) {
      return new Routing(Kind.BY_WRITER, "the table's write.distribution-mode is none");
    }
    return new Routing(Kind.BY_PARTITION, "the table's write.distribution-mode is hash");
  }

  /**
   * The routing of a batch of {@code offsets} offsets written into {@code table} by {@code writers}
   * writers, as {@code choice} asks.
   */
  public static Routing choose(Choice choice, Table table, long offsets, int writers) {
    if (table.spec().isUnpartitioned()) {
      // nothing to route by, whatever the choice
      return ofTable(table);
    }
    if (choice == Choice.PARTITION) {
      return new Routing(Kind.BY_PARTITION, "batch.routing is partition");
    }
    if (choice == Choice.WRITER) {
      return new Routing(Kind.BY_WRITER, "batch.routing is writer");
    }
    if (distributesByWriter(table)) {
      return ofTable(table);
    }
    if (writers <= 1) {
      return new Routing(Kind.BY_WRITER, "one writer writes every partition anyway");
    }
    long rowGroup =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
            TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT);
    long bytesPerRecord = bytesPerRecord(table.currentSnapshot());
    String per =
        bytesPerRecord > 0
            ? String.format(Locale.ROOT, "%d bytes a record in the table", bytesPerRecord)
            : String.format(
                Locale.ROOT,
                "%d bytes a record assumed, the table has no data yet",
                ASSUMED_BYTES_PER_RECORD);
    long estimated = offsets * (bytesPerRecord > 0 ? bytesPerRecord : ASSUMED_BYTES_PER_RECORD);
    int partitions = partitionsOfLastAppend(table);
    String estimate =
        String.format(
            Locale.ROOT,
            "an estimated %s (%,d offsets at %s) over %s and %d writers",
            bytes(estimated),
            offsets,
            per,
            partitions > 0 ? partitions + " partition(s), as the last append" : "1 partition",
            writers);
    if (estimated / Math.max(1, partitions) / writers < rowGroup) {
      return new Routing(
          Kind.BY_PARTITION,
          estimate + " is less than a row group (" + bytes(rowGroup) + ") a file");
    }
    return new Routing(
        Kind.BY_WRITER, estimate + " fills a row group (" + bytes(rowGroup) + ") a file");
  }

  public Kind kind() {
    return kind;
  }

  /** Why the batch is routed so, for the run's output. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return kind + ": " + reason;
  }

  private static boolean distributesByWriter(Table table) {
    return TableProperties.WRITE_DISTRIBUTION_MODE_NONE.equals(
        table
            .properties()
            .getOrDefault(
                TableProperties.WRITE_DISTRIBUTION_MODE,
                TableProperties.WRITE_DISTRIBUTION_MODE_NONE));
  }

  /** The data file bytes a record takes in the table as of {@code snapshot}; 0 if unknown. */
  static long bytesPerRecord(Snapshot snapshot) {
    if (snapshot == null) {
      return 0;
    }
    Map<String, String> summary = snapshot.summary();
    long records = PropertyUtil.propertyAsLong(summary, SnapshotSummary.TOTAL_RECORDS_PROP, 0);
    long bytes = PropertyUtil.propertyAsLong(summary, SnapshotSummary.TOTAL_FILE_SIZE_PROP, 0);
    return records > 0 && bytes > 0 ? Math.max(1, bytes / records) : 0;
  }

  /** The partitions the table's newest append of data changed; 0 if none is known. */
  static int partitionsOfLastAppend(Table table) {
    for (Snapshot snapshot = table.currentSnapshot();
        snapshot != null;
        snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
      Map<String, String> summary = snapshot.summary();
      if (DataOperations.APPEND.equals(snapshot.operation())
          && PropertyUtil.propertyAsLong(summary, SnapshotSummary.ADDED_RECORDS_PROP, 0) > 0) {
        return PropertyUtil.propertyAsInt(summary, SnapshotSummary.CHANGED_PARTITION_COUNT_PROP, 0);
      }
    }
    return 0;
  }

  private static String bytes(long bytes) {
    if (bytes < 1 << 20) {
      return String.format(Locale.ROOT, "%d KiB", bytes >> 10);
    }
    return bytes >= 10L << 20
        ? String.format(Locale.ROOT, "%d MiB", bytes >> 20)
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
  }
}
