package io.github.ingest.iceberg.dedup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The data files of a table at one snapshot, by the partition of the window's time field they are
 * in, with the bounds of their business key's first column: which files not read yet may hold the
 * key of a record, in the partitions of its window. Files of a partition spec without that time
 * field are in every window; with the window {@code all}, every file is.
 */
final class WindowFiles {

  /** The ordinal of a file outside the window's partitioning: in every window. */
  private static final int NO_ORDINAL = Integer.MIN_VALUE;

  private final Deduplication dedup;
  private final List<FileScanTask> files = new ArrayList<>();
  private final List<Object> lowerBounds = new ArrayList<>();
  private final List<Object> upperBounds = new ArrayList<>();
  private final List<Integer> ordinals = new ArrayList<>();
  private final TreeMap<Integer, Partition> windowed = new TreeMap<>();
  private final Partition unwindowed = new Partition();
  private final PartitionField time;
  private final Comparator<Object> keyOrder;
  private final Type keyType;
  private final int keyFieldId;
  private final int keyPosition;
  private final int timePosition;
  private final Type timeType;
  private final Function<Object, Integer> timeTransform;
  private int lastOrdinal = Integer.MIN_VALUE;
  private List<Partition> lastWindow = List.of();

  /** The files of {@code table} at {@code snapshotId}; none for null. */
  @SuppressWarnings("unchecked")
  WindowFiles(Table table, Long snapshotId, Deduplication dedup) {
    this.dedup = dedup;
    List<Types.NestedField> columns = table.schema().columns();
    this.keyPosition = dedup.keyPositions()[0];
    Types.NestedField key = columns.get(keyPosition);
    this.keyFieldId = key.fieldId();
    this.keyType = key.type();
    this.keyOrder =
        (Comparator<Object>) (Comparator<?>) Comparators.forType(keyType.asPrimitiveType());
    this.time = Deduplication.timeField(table);
    int position = -1;
    for (int i = 0; time != null && i < columns.size(); i++) {
      if (columns.get(i).fieldId() == time.sourceId()) {
        position = i;
      }
    }
    this.timePosition = dedup.window() == Deduplication.ALL ? -1 : position;
    this.timeType = time == null ? null : table.schema().findType(time.sourceId());
    this.timeTransform =
        timePosition < 0
            ? null
            : (Function<Object, Integer>) (Function<?, ?>) time.transform().bind(timeType);
    if (snapshotId != null) {
      try (CloseableIterable<FileScanTask> planned =
          table.newScan().useSnapshot(snapshotId).includeColumnStats().planFiles()) {
        planned.forEach(this::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    windowed.values().forEach(Partition::summarize);
    unwindowed.summarize();
  }

  private void add(FileScanTask task) {
    int index = files.size();
    files.add(task);
    lowerBounds.add(bound(task.file().lowerBounds()));
    upperBounds.add(bound(task.file().upperBounds()));
    Integer ordinal = timePosition < 0 ? null : ordinalOf(task);
    ordinals.add(ordinal == null ? NO_ORDINAL : ordinal);
    Partition partition =
        ordinal == null ? unwindowed : windowed.computeIfAbsent(ordinal, o -> new Partition());
    partition.unread.add(index);
  }

  private Object bound(Map<Integer, ByteBuffer> bounds) {
    ByteBuffer bytes = bounds == null ? null : bounds.get(keyFieldId);
    return bytes == null ? null : Conversions.fromByteBuffer(keyType, bytes);
  }

  /** The file's partition in the window's units, or null if its spec has no such field. */
  private Integer ordinalOf(FileScanTask task) {
    List<PartitionField> fields = task.spec().fields();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField field = fields.get(i);
      if (field.sourceId() == time.sourceId()
          && field.transform().toString().equals(time.transform().toString())) {
        return task.file().partition().get(i, Integer.class);
      }
    }
    return null;
  }

  int size() {
    return files.size();
  }

  FileScanTask file(int index) {
    return files.get(index);
  }

  /**
   * The partition of the window's time field that {@code row} (a row of the table's type) is in;
   * null if the window is {@code all} or its time is null.
   */
  Integer ordinalOf(RowData row) {
    if (timePosition < 0 || row.isNullAt(timePosition)) {
      return null;
    }
    Object value;
    if (timeType.typeId() == Type.TypeID.DATE) {
      value = row.getInt(timePosition);
    } else {
      TimestampData timestamp = row.getTimestamp(timePosition, 6);
      value = timestamp.getMillisecond() * 1000 + timestamp.getNanoOfMillisecond() / 1000;
    }
    return timeTransform.apply(value);
  }

  /**
   * Hands {@code read} each file not read yet, in the window of a record of partition {@code
   * ordinal} (all for null), whose bounds may hold the key of {@code row}; each file once.
   */
  void candidates(RowData row, Integer ordinal, IntConsumer read) {
    Object key = keyValue(row);
    unwindowed.candidates(key, read);
    if (timePosition >= 0) {
      for (Partition partition : window(ordinal)) {
        partition.candidates(key, read);
      }
    }
  }

  /** Whether file {@code index} is in the window of a record of partition {@code ordinal}. */
  boolean inWindow(int index, Integer ordinal) {
    int of = ordinals.get(index);
    return ordinal == null
        || of == NO_ORDINAL
        || (of <= ordinal && of >= (long) ordinal - dedup.window());
  }

  /** The partitions of the window of a record of partition {@code ordinal}; all for null. */
  private Collection<Partition> window(Integer ordinal) {
    if (ordinal == null) {
      return windowed.values();
    }
    if (ordinal != lastOrdinal) {
      // a batch's records fall in few partitions: the window is looked up once for each run of
      // records of one partition, not for every record
      lastOrdinal = ordinal;
      lastWindow =
          new ArrayList<>(windowed.subMap(ordinal - dedup.window(), true, ordinal, true).values());
    }
    return lastWindow;
  }

  /** The key's first column of {@code row}, as Iceberg's bounds hold it. */
  private Object keyValue(RowData row) {
    if (row.isNullAt(keyPosition)) {
      return null;
    }
    switch (keyType.typeId()) {
      case STRING:
        return row.getString(keyPosition).toString();
      case INTEGER:
        return row.getInt(keyPosition);
      default:
        return row.getLong(keyPosition);
    }
  }

  /** The files of one partition not read yet, and the bounds of all their keys. */
  private final class Partition {
    final List<Integer> unread = new ArrayList<>();
    Object lowest;
    Object highest;
    boolean unbounded;

    void summarize() {
      lowest = null;
      highest = null;
      unbounded = false;
      for (int file : unread) {
        Object lower = lowerBounds.get(file);
        Object upper = upperBounds.get(file);
        if (lower == null || upper == null) {
          unbounded = true;
          return;
        }
        lowest = lowest == null || keyOrder.compare(lower, lowest) < 0 ? lower : lowest;
        highest = highest == null || keyOrder.compare(upper, highest) > 0 ? upper : highest;
      }
    }

    void candidates(Object key, IntConsumer read) {
      if (unread.isEmpty() || (!unbounded && key != null && outside(key, lowest, highest))) {
        return;
      }
      boolean any = false;
      for (int i = unread.size() - 1; i >= 0; i--) {
        int file = unread.get(i);
        Object lower = lowerBounds.get(file);
        Object upper = upperBounds.get(file);
        if (key == null || lower == null || upper == null || !outside(key, lower, upper)) {
          unread.remove(i);
          read.accept(file);
          any = true;
        }
      }
      if (any) {
        summarize();
      }
    }

    private boolean outside(Object key, Object lower, Object upper) {
      return keyOrder.compare(key, lower) < 0 || keyOrder.compare(key, upper) > 0;
    }
  }
}
