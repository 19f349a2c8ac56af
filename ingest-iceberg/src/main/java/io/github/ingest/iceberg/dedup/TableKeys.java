package io.github.ingest.iceberg.dedup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.BaseCombinedScanTask;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.source.DataIterator;
import org.apache.iceberg.flink.source.RowDataFileScanTaskReader;
import org.apache.iceberg.io.FileIO;
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

  /** Stored rows kept for the text of a conflict, at most. */
  private static final int CACHED_ROWS = 100_000;

  private final Table table;
  private final FileIO io;
  private final WindowFiles files;
  private final int subtask;
  private final int parallelism;
  private final long budget;
  private final LongSupplier batchBytes;
  private final boolean[] rowsRead;
  private final LongMap keyFiles = new LongMap(1);
  private final Map<Long, int[]> moreFiles = new HashMap<>();
  private final LongMap storedRows = new LongMap(2);
  private final Map<Long, RowData> cachedRows = new HashMap<>();
  private final Schema keySchema;
  private final Schema rowSchema;
  private final RowDigest keysOfKeyRows;
  private final RowDigest keysOfStoredRows;
  private final RowDigest comparedOfStoredRows;
  private final int batchNumberInStored;
  private final RowDataSerializer storedSerializer;
  private long keyFilesRead;
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

  /**
   * The keys of {@code table} at {@code snapshotId} (null: none) routed to task {@code subtask} of
   * {@code parallelism}, in at most {@code budget} bytes with the batch's {@code batchBytes}.
   */
  TableKeys(
      Table table,
      Long snapshotId,
      Deduplication dedup,
      int subtask,
      int parallelism,
      long budget,
      LongSupplier batchBytes) {
    this.table = table;
    this.io = new PlainFiles(table.io());
    this.files = new WindowFiles(table, snapshotId, dedup);
    this.subtask = subtask;
    this.parallelism = parallelism;
    this.budget = budget;
    this.batchBytes = batchBytes;
    this.rowsRead = new boolean[files.size()];
    Schema schema = table.schema();
    List<Types.NestedField> columns = schema.columns();
    List<String> keyNames = dedup.keyColumns();
    this.keySchema = schema.select(keyNames);
    List<String> storedNames = dedup.comparedNames();
    String batchColumn =
        dedup.batchNumberPosition() < 0 ? null : columns.get(dedup.batchNumberPosition()).name();
    List<String> selected = new ArrayList<>(storedNames);
    if (batchColumn != null) {
      selected.add(batchColumn);
    }
    this.rowSchema = schema.select(selected);
    RowType storedRowType = FlinkSchemaUtil.convert(rowSchema);
    this.keysOfKeyRows =
        new RowDigest(
            FlinkSchemaUtil.convert(keySchema),
            Deduplication.positions(keySchema.columns(), keyNames));
    this.keysOfStoredRows =
        new RowDigest(storedRowType, Deduplication.positions(rowSchema.columns(), keyNames));
    this.comparedOfStoredRows =
        new RowDigest(storedRowType, Deduplication.positions(rowSchema.columns(), storedNames));
    this.batchNumberInStored =
        batchColumn == null
            ? -1
            : Deduplication.positions(rowSchema.columns(), List.of(batchColumn))[0];
    this.storedSerializer = new RowDataSerializer(storedRowType);
  }

  /**
   * The stored values of the key {@code keyHash} of {@code row} (a row of the table's type) in the
   * files of {@code row}'s window, or null if none holds it.
   */
  Stored find(RowData row, long keyHash) {
    if (files.size() == 0) {
      return null;
    }
    Integer ordinal = files.ordinalOf(row);
    files.candidates(row, ordinal, this::readKeys);
    int slot = keyFiles.find(keyHash);
    if (slot < 0) {
      return null;
    }
    int[] holding = moreFiles.getOrDefault(keyHash, new int[] {(int) keyFiles.first(slot)});
    for (int file : holding) {
      if (!files.inWindow(file, ordinal)) {
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
            files.file(file).file().path().toString(),
            cachedRows.get(storedKey));
      }
      // else a hash that is another key's: the file holds no row of this one
    }
    return null;
  }

  /** The key of a stored row of {@code file}: a key's rows in two files are two rows. */
  private static long storedKey(long keyHash, int file) {
    return keyHash + file * 0x9E3779B97F4A7C15L;
  }

  private void readKeys(int file) {
    long expected = keyFiles.size() + files.file(file).file().recordCount() / parallelism;
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
              files.file(file).file().path(), expected, budget >> 20, parallelism));
    }
    keyFilesRead++;
    keyFiles.reserve(files.file(file).file().recordCount() / parallelism);
    try (DataIterator<RowData> rows = open(file, keySchema)) {
      while (rows.hasNext()) {
        long hash = keysOfKeyRows.of(rows.next());
        if (KeyRouting.channel(hash, parallelism) != subtask) {
          continue;
        }
        int slot = keyFiles.probe(hash);
        if (slot < 0) {
          keyFiles.insert(slot, hash, file, 0);
        } else if (keyFiles.first(slot) != file) {
          // a key in two files (written twice before, or by another writer): rare, kept aside
          int[] known = moreFiles.getOrDefault(hash, new int[] {(int) keyFiles.first(slot)});
          int[] more = Arrays.copyOf(known, known.length + 1);
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
        if (KeyRouting.channel(hash, parallelism) != subtask) {
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
    FileScanTask task = files.file(file);
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
}
