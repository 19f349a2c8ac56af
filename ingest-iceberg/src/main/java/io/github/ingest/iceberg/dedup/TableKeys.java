package io.github.ingest.iceberg.dedup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.BaseCombinedScanTask;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.source.DataIterator;
import org.apache.iceberg.flink.source.RowDataFileScanTaskReader;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The business keys a table held at one snapshot, as far as one deduplication task needs them: the
 * keys it is routed, from the data files of the windows of the records it sees.
 *
 * <p>Nothing is read up front. A record's key is looked for in the files of the partitions of its
 * window whose column bounds (Iceberg's per-file lower and upper bound of the key's first column)
 * hold it; each such file's key column alone is read once, on the first record that needs it, and
 * kept as 64-bit hashes. Only a file that holds a key of the batch is read whole, once, for the
 * values of its rows with such keys (to tell a duplicate from a conflict) and their batch. Files
 * with row-level deletes are read with the deletes applied.
 */
final class TableKeys {

  /** The ordinal of a file outside the window's partitioning: in every window. */
  private static final int NO_ORDINAL = Integer.MIN_VALUE;

  /** Stored rows kept for the text of a conflict, at most. */
  private static final int CACHED_ROWS = 100_000;

  private final Table table;
  private final FileIO io;
  private final Deduplication dedup;
  private final int subtask;
  private final int parallelism;
  private final List<FileScanTask> files = new ArrayList<>();
  private final List<Object> lowerBounds = new ArrayList<>();
  private final List<Object> upperBounds = new ArrayList<>();
  private final TreeMap<Integer, Files> windowed = new TreeMap<>();
  private final Files unwindowed = new Files();
  private final boolean[] keysRead;
  private final boolean[] rowsRead;
  private final LongMap keyFiles = new LongMap(1);
  private final Map<Long, int[]> moreFiles = new HashMap<>();
  private final List<Integer> fileOrdinals = new ArrayList<>();
  private final LongMap storedRows = new LongMap(2);
  private final Map<Long, RowData> cachedRows = new HashMap<>();
  private final Comparator<Object> keyOrder;
  private final Type keyType;
  private final int keyFieldId;
  private final long budget;
  private final LongSupplier batchBytes;
  private final int keyPosition;
  private final int timePosition;
  private final Function<Object, Integer> timeTransform;
  private final Type timeType;
  private final Schema keySchema;
  private final Schema rowSchema;
  private final RowDigest keysOfKeyRows;
  private final RowDigest keysOfStoredRows;
  private final RowDigest comparedOfStoredRows;
  private final int batchNumberInStored;
  private final RowDataSerializer storedSerializer;
  private long keyFilesRead;
  private int lastOrdinal = Integer.MIN_VALUE;
  private List<Files> lastWindow = List.of();
  private long rowFilesRead;

  /** Stored values of a key: their fingerprint, the batch that wrote them, the row if kept. */
  static final class Stored {
    final long fingerprint;
    final long batch;
    final String file;
    final RowData row;

    Stored(long fingerprint, long batch, String file, RowData row) {
      this.fingerprint = fingerprint;
      this.batch = batch;
      this.file = file;
      this.row = row;
    }
  }

  @SuppressWarnings("unchecked")
  TableKeys(
      Table table,
      Long snapshotId,
      Deduplication dedup,
      int subtask,
      int parallelism,
      long budget,
      LongSupplier batchBytes) {
    this.budget = budget;
    this.batchBytes = batchBytes;
    this.table = table;
    this.io = new PlainFiles(table.io());
    this.dedup = dedup;
    this.subtask = subtask;
    this.parallelism = parallelism;
    Schema schema = table.schema();
    List<Types.NestedField> columns = schema.columns();
    int[] keyPositions = dedup.keyPositions();
    Types.NestedField firstKey = columns.get(keyPositions[0]);
    this.keyFieldId = firstKey.fieldId();
    this.keyPosition = keyPositions[0];
    this.keyType = firstKey.type();
    this.keyOrder =
        (Comparator<Object>) (Comparator<?>) Comparators.forType(keyType.asPrimitiveType());
    List<String> keyNames = dedup.keyColumns();
    this.keySchema = schema.select(keyNames);
    List<String> storedNames = new ArrayList<>();
    for (int position : dedup.comparedPositions()) {
      storedNames.add(columns.get(position).name());
    }
    String batchColumn =
        dedup.batchNumberPosition() < 0 ? null : columns.get(dedup.batchNumberPosition()).name();
    List<String> selected = new ArrayList<>(storedNames);
    if (batchColumn != null) {
      selected.add(batchColumn);
    }
    this.rowSchema = schema.select(selected);
    RowType keyRowType = FlinkSchemaUtil.convert(keySchema);
    RowType storedRowType = FlinkSchemaUtil.convert(rowSchema);
    this.keysOfKeyRows = new RowDigest(keyRowType, positions(keySchema, keyNames));
    this.keysOfStoredRows = new RowDigest(storedRowType, positions(rowSchema, keyNames));
    this.comparedOfStoredRows = new RowDigest(storedRowType, positions(rowSchema, storedNames));
    this.batchNumberInStored =
        batchColumn == null ? -1 : positions(rowSchema, List.of(batchColumn))[0];
    this.storedSerializer = new RowDataSerializer(storedRowType);
    int timeSourceId = dedup.timeFieldSourceId();
    int position = -1;
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).fieldId() == timeSourceId) {
        position = i;
      }
    }
    this.timePosition = dedup.window() == Deduplication.ALL ? -1 : position;
    PartitionField time = Deduplication.timeField(table);
    this.timeType = time == null ? null : schema.findType(time.sourceId());
    this.timeTransform =
        time == null || timePosition < 0
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
    this.keysRead = new boolean[files.size()];
    this.rowsRead = new boolean[files.size()];
    windowed.values().forEach(Files::summarize);
    unwindowed.summarize();
  }

  private void add(FileScanTask task) {
    int index = files.size();
    files.add(task);
    lowerBounds.add(bound(task.file().lowerBounds()));
    upperBounds.add(bound(task.file().upperBounds()));
    Integer ordinal = timePosition < 0 ? null : ordinalOf(task);
    fileOrdinals.add(ordinal == null ? NO_ORDINAL : ordinal);
    Files group =
        ordinal == null ? unwindowed : windowed.computeIfAbsent(ordinal, o -> new Files());
    group.unread.add(index);
  }

  private Object bound(Map<Integer, ByteBuffer> bounds) {
    ByteBuffer bytes = bounds == null ? null : bounds.get(keyFieldId);
    return bytes == null ? null : Conversions.fromByteBuffer(keyType, bytes);
  }

  /** The file's partition in the window's units, or null if its spec has no such field. */
  private Integer ordinalOf(FileScanTask task) {
    List<PartitionField> fields = task.spec().fields();
    PartitionField time = Deduplication.timeField(table);
    for (int i = 0; i < fields.size(); i++) {
      PartitionField field = fields.get(i);
      if (field.sourceId() == time.sourceId()
          && field.transform().toString().equals(time.transform().toString())) {
        return task.file().partition().get(i, Integer.class);
      }
    }
    return null;
  }

  /**
   * The stored values of the key {@code keyHash} of {@code row} (a row of the table's type) in the
   * files of {@code row}'s window, or null if none holds it.
   */
  Stored find(RowData row, long keyHash) {
    if (files.isEmpty()) {
      return null;
    }
    Object key = keyValue(row);
    Integer ordinal = timePosition < 0 ? null : ordinalOfRow(row);
    unwindowed.readCandidates(key);
    if (timePosition >= 0) {
      for (Files group : window(ordinal)) {
        group.readCandidates(key);
      }
    }
    int slot = keyFiles.find(keyHash);
    if (slot < 0) {
      return null;
    }
    int[] holding = moreFiles.getOrDefault(keyHash, new int[] {(int) keyFiles.first(slot)});
    for (int file : holding) {
      if (!inWindow(file, ordinal)) {
        continue;
      }
      if (!rowsRead[file]) {
        readRows(file);
      }
      long storedKey = storedKey(keyHash, file);
      int stored = storedRows.find(storedKey);
      if (stored >= 0) {
        return new Stored(
            storedRows.first(stored),
            storedRows.second(stored),
            files.get(file).file().path().toString(),
            cachedRows.get(storedKey));
      }
      // else a hash that is another key's: the file holds no row of this one
    }
    return null;
  }

  /** The partitions of the window of a record of partition {@code ordinal}; all for null. */
  private Collection<Files> window(Integer ordinal) {
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

  /** Whether {@code file} is in the window of a record of partition {@code ordinal}. */
  private boolean inWindow(int file, Integer ordinal) {
    int of = fileOrdinals.get(file);
    return ordinal == null
        || of == NO_ORDINAL
        || (of <= ordinal && of >= (long) ordinal - dedup.window());
  }

  /** The key of a stored row of {@code file}: a key's rows in two files are two rows. */
  private static long storedKey(long keyHash, int file) {
    return keyHash + file * 0x9E3779B97F4A7C15L;
  }

  private Integer ordinalOfRow(RowData row) {
    if (row.isNullAt(timePosition)) {
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

  private Object keyValue(RowData row) {
    int position = keyPosition;
    if (row.isNullAt(position)) {
      return null;
    }
    switch (keyType.typeId()) {
      case STRING:
        StringData text = row.getString(position);
        return text.toString();
      case INTEGER:
        return row.getInt(position);
      default:
        return row.getLong(position);
    }
  }

  private void readKeys(int file) {
    long expected = keyFiles.size() + files.get(file).file().recordCount() / parallelism;
    if (LongMap.bytesFor(expected, 1) + storedRows.bytes() + batchBytes.getAsLong() > budget) {
      throw new IllegalStateException(
          String.format(
              "Deduplication cannot hold the business keys of its window: with data file %s, the"
                  + " table's files in the windows of this batch's records hold about %,d keys"
                  + " for this task, which with the batch's keys is more than the %d MiB it may"
                  + " take (half of the heap, shared by %d tasks); set dedup.window to fewer"
                  + " partitions or dedup.max-batch-records lower, or give the job more heap"
                  + " (JAVA_OPTS=-Xmx...). Keys that grow with time keep most files out by their"
                  + " bounds",
              files.get(file).file().path(), expected, budget >> 20, parallelism));
    }
    keysRead[file] = true;
    keyFilesRead++;
    keyFiles.reserve(files.get(file).file().recordCount() / parallelism);
    try (DataIterator<RowData> rows = open(file, keySchema)) {
      while (rows.hasNext()) {
        long hash = keysOfKeyRows.of(rows.next());
        if (DedupOperator.channel(hash, parallelism) != subtask) {
          continue;
        }
        int slot = keyFiles.probe(hash);
        if (slot < 0) {
          keyFiles.insert(slot, hash, file, 0);
        } else if (keyFiles.first(slot) != file) {
          // a key in two files (written twice before, or by another writer): rare, kept aside
          int[] known = moreFiles.getOrDefault(hash, new int[] {(int) keyFiles.first(slot)});
          int[] more = java.util.Arrays.copyOf(known, known.length + 1);
          more[known.length] = file;
          moreFiles.put(hash, more);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void readRows(int file) {
    rowsRead[file] = true;
    rowFilesRead++;
    try (DataIterator<RowData> rows = open(file, rowSchema)) {
      while (rows.hasNext()) {
        RowData row = rows.next();
        long hash = keysOfStoredRows.of(row);
        if (DedupOperator.channel(hash, parallelism) != subtask) {
          continue;
        }
        long storedKey = storedKey(hash, file);
        storedRows.put(storedKey, comparedOfStoredRows.of(row), batchOf(row));
        if (cachedRows.size() < CACHED_ROWS) {
          cachedRows.put(storedKey, storedSerializer.toBinaryRow(row).copy());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long batchOf(RowData row) {
    if (batchNumberInStored < 0 || row.isNullAt(batchNumberInStored)) {
      return -1;
    }
    try {
      return Long.parseLong(row.getString(batchNumberInStored).toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private DataIterator<RowData> open(int file, Schema projection) {
    FileScanTask task = files.get(file);
    return new DataIterator<>(
        new RowDataFileScanTaskReader(table.schema(), projection, null, true, List.of()),
        new BaseCombinedScanTask(task),
        io,
        table.encryption());
  }

  /** The fingerprint digest of stored rows, to render their compared values. */
  RowDigest storedValues() {
    return comparedOfStoredRows;
  }

  /** The keys of the table that this task keeps. */
  long keysKept() {
    return keyFiles.size();
  }

  /** Data files whose key column was read, and those read whole. */
  String reads() {
    return String.format(
        "%d of %d data files' keys read, %d read whole", keyFilesRead, files.size(), rowFilesRead);
  }

  /** The bytes of the table's keys and stored values this task holds, but for kept rows. */
  long bytes() {
    return keyFiles.bytes() + storedRows.bytes();
  }

  private static int[] positions(Schema schema, List<String> names) {
    int[] positions = new int[names.size()];
    List<Types.NestedField> columns = schema.columns();
    for (int i = 0; i < names.size(); i++) {
      for (int j = 0; j < columns.size(); j++) {
        if (columns.get(j).name().equals(names.get(i))) {
          positions[i] = j;
        }
      }
    }
    return positions;
  }

  /** The files of one partition of the window not read yet, and the bounds of their keys. */
  private final class Files {
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

    /** Reads the keys of each unread file whose bounds may hold {@code key}. */
    void readCandidates(Object key) {
      if (unread.isEmpty()) {
        return;
      }
      if (!unbounded && key != null && outside(key, lowest, highest)) {
        return;
      }
      boolean read = false;
      for (int i = unread.size() - 1; i >= 0; i--) {
        int file = unread.get(i);
        Object lower = lowerBounds.get(file);
        Object upper = upperBounds.get(file);
        if (key == null || lower == null || upper == null || !outside(key, lower, upper)) {
          readKeys(file);
          unread.remove(i);
          read = true;
        }
      }
      if (read) {
        summarize();
      }
    }

    private boolean outside(Object key, Object lower, Object upper) {
      return keyOrder.compare(key, lower) < 0 || keyOrder.compare(key, upper) > 0;
    }
  }
}
