package io.github.ingest.iceberg.dedup;

import java.math.BigInteger;
import java.util.Arrays;
import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.core.memory.MemorySegmentFactory;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/**
 * 64-bit digests of a row's values, equal for equal values whatever the row's representation (the
 * binary rows of an exchange, the rows Iceberg's Parquet reader gives): the hash of a business key,
 * and the fingerprint of the columns a duplicate must repeat. Text, bytes and decimals too long for
 * a long are hashed byte by byte; numbers, timestamps and other decimals by their exact value;
 * nested values element by element, a map's entries in any order.
 */
final class RowDigest {

  private final int[] positions;
  private final RowData.FieldGetter[] getters;
  private final LogicalType[] types;

  /** A digest of the fields at {@code positions} of rows of {@code rowType}. */
  RowDigest(RowType rowType, int[] positions) {
    this.positions = positions.clone();
    this.getters = new RowData.FieldGetter[positions.length];
    this.types = new LogicalType[positions.length];
    for (int i = 0; i < positions.length; i++) {
      types[i] = rowType.getTypeAt(positions[i]);
      getters[i] = RowData.createFieldGetter(types[i], positions[i]);
    }
  }

  /** The digest of {@code row}'s fields; the same for a null and a missing value. */
  long of(RowData row) {
    long hash = 0x84222325CBF29CE4L;
    for (int i = 0; i < getters.length; i++) {
      hash = fmix(hash * 31 + value(getters[i].getFieldOrNull(row), types[i]));
    }
    return hash;
  }

  /** Whether any field of the digest is null in {@code row}: such a key is no key. */
  boolean hasNull(RowData row) {
    for (int position : positions) {
      if (row.isNullAt(position)) {
        return true;
      }
    }
    return false;
  }

  /** The fields as text, {@code name=value, ...}, with {@code names} in the digest's order. */
  String text(RowData row, String[] names) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < getters.length; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append(names[i]).append('=').append(text(getters[i].getFieldOrNull(row)));
    }
    return text.toString();
  }

  /** The text of field {@code index} of the digest in {@code row}. */
  String text(RowData row, int index) {
    return text(getters[index].getFieldOrNull(row));
  }

  /** Whether field {@code index} of the digest has the same value in both rows. */
  boolean sameAt(RowData a, RowData b, int index) {
    return value(getters[index].getFieldOrNull(a), types[index])
        == value(getters[index].getFieldOrNull(b), types[index]);
  }

  int size() {
    return getters.length;
  }

  private static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof StringData) {
      return '"' + value.toString() + '"';
    }
    if (value instanceof DecimalData) {
      return ((DecimalData) value).toBigDecimal().toPlainString();
    }
    if (value instanceof byte[]) {
      return Arrays.toString((byte[]) value);
    }
    if (value instanceof ArrayData || value instanceof MapData || value instanceof RowData) {
      return "(a nested value)";
    }
    return value.toString();
  }

  private static long value(Object value, LogicalType type) {
    if (value == null) {
      return 0x9E3779B97F4A7C15L;
    }
    if (value instanceof BinaryStringData) {
      // the bytes where they are, without the copy toBytes() makes
      BinaryStringData text = (BinaryStringData) value;
      MemorySegment[] segments = text.getSegments();
      return segments.length == 1
          ? bytes(segments[0], text.getOffset(), text.getSizeInBytes())
          : bytes(text.toBytes());
    }
    if (value instanceof StringData) {
      return bytes(((StringData) value).toBytes());
    }
    if (value instanceof byte[]) {
      return bytes((byte[]) value);
    }
    if (value instanceof DecimalData) {
      DecimalData decimal = (DecimalData) value;
      if (decimal.isCompact()) {
        return fmix(decimal.toUnscaledLong());
      }
      BigInteger unscaled = decimal.toBigDecimal().unscaledValue();
      return unscaled.bitLength() < 64 ? fmix(unscaled.longValue()) : bytes(unscaled.toByteArray());
    }
    if (value instanceof TimestampData) {
      TimestampData timestamp = (TimestampData) value;
      return fmix(timestamp.getMillisecond() * 1_000_000L + timestamp.getNanoOfMillisecond());
    }
    if (value instanceof ArrayData) {
      LogicalType element = ((ArrayType) type).getElementType();
      return array((ArrayData) value, element);
    }
    if (value instanceof MapData) {
      MapType map = (MapType) type;
      MapData data = (MapData) value;
      // order-independent: two readers need not give a map's entries in one order
      long hash = 0;
      ArrayData keys = data.keyArray();
      ArrayData values = data.valueArray();
      ArrayData.ElementGetter keyGetter = ArrayData.createElementGetter(map.getKeyType());
      ArrayData.ElementGetter valueGetter = ArrayData.createElementGetter(map.getValueType());
      for (int i = 0; i < data.size(); i++) {
        hash +=
            fmix(
                value(keyGetter.getElementOrNull(keys, i), map.getKeyType()) * 31
                    + value(valueGetter.getElementOrNull(values, i), map.getValueType()));
      }
      return hash;
    }
    if (value instanceof RowData) {
      RowType rowType = (RowType) type;
      RowData row = (RowData) value;
      long hash = 17;
      for (int i = 0; i < rowType.getFieldCount(); i++) {
        Object field = RowData.createFieldGetter(rowType.getTypeAt(i), i).getFieldOrNull(row);
        hash = fmix(hash * 31 + value(field, rowType.getTypeAt(i)));
      }
      return hash;
    }
    if (value instanceof Number) {
      // ints, longs, dates and times alike, as the key of a long column may be read as an int
      return value instanceof Float || value instanceof Double
          ? fmix(Double.doubleToLongBits(((Number) value).doubleValue()))
          : fmix(((Number) value).longValue());
    }
    return fmix(value.hashCode());
  }

  private static long array(ArrayData array, LogicalType element) {
    ArrayData.ElementGetter getter = ArrayData.createElementGetter(element);
    long hash = 19;
    for (int i = 0; i < array.size(); i++) {
      hash = fmix(hash * 31 + value(getter.getElementOrNull(array, i), element));
    }
    return hash;
  }

  static long bytes(byte[] bytes) {
    return bytes(MemorySegmentFactory.wrap(bytes), 0, bytes.length);
  }

  /**
   * The bytes eight at a time, each word mixed in as MurmurHash3's 64-bit mix does, the rest byte
   * by byte, then its finalizer so every bit spreads; the length counts, so a prefix differs.
   */
  static long bytes(MemorySegment segment, int offset, int length) {
    long hash = 0xCBF29CE484222325L ^ length;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      long word = segment.getLongLittleEndian(offset + i) * 0x87C37B91114253D5L;
      word = Long.rotateLeft(word, 31) * 0x4CF5AD432745937FL;
      hash = Long.rotateLeft(hash ^ word, 27) * 5 + 0x52DCE729;
    }
    for (; i < length; i++) {
      hash = (hash ^ (segment.get(offset + i) & 0xFF)) * 0x100000001B3L;
    }
    return fmix(hash);
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB93FE1A85A53L;
    k ^= k >>> 33;
    return k;
  }
}
