package io.github.ingest.iceberg.dedup;

/**
 * A map from 64-bit key hashes to one or two longs, in two arrays: open addressing with linear
 * probing, three eighths to three quarters of the slots used. A slot takes 8 bytes for the key and
 * 8 a value, so a key of a one-value map takes 21 to 43 bytes and one of a two-value map 32 to 64,
 * where a {@code HashMap<Long, Long>} would take some 80 and a reference per entry for the
 * collector to follow. The key 0 marks an empty slot, so the key 0 itself has a slot of its own
 * after the others.
 */
final class LongMap {

  private static final int MIN_CAPACITY = 16;

  private final int width;
  private long[] keys;
  private long[] values;
  private int size;
  private boolean hasZero;

  /** A map with {@code width} (1 or 2) values a key. */
  LongMap(int width) {
    if (width < 1 || width > 2) {
      throw new IllegalArgumentException("A key has one or two values, not " + width);
    }
    this.width = width;
    allocate(MIN_CAPACITY);
  }

  int size() {
    return size;
  }

  /** The slot of {@code key}, or -1 if absent; read its values with {@link #first(int)}. */
  int find(long key) {
    if (key == 0) {
      return hasZero ? keys.length : -1;
    }
    int mask = keys.length - 1;
    for (int slot = spread(key) & mask; keys[slot] != 0; slot = (slot + 1) & mask) {
      if (keys[slot] == key) {
        return slot;
      }
    }
    return -1;
  }

  long first(int slot) {
    return values[slot * width];
  }

  long second(int slot) {
    return values[slot * width + 1];
  }

  /** Maps {@code key} to the values ({@code second} is ignored by a one-value map). */
  void put(long key, long first, long second) {
    int slot = probe(key);
    if (slot < 0) {
      insert(slot, key, first, second);
    } else {
      set(slot, first, second);
    }
  }

  /**
   * The slot of {@code key} if the map holds it, else -1 minus the free slot it would take, for
   * {@link #insert}: one probe for a look-up followed by an insertion. Makes room for one more key
   * first, so the free slot stays free until something else is inserted.
   */
  int probe(long key) {
    if (4L * (size + 1) > 3L * keys.length) {
      grow();
    }
    if (key == 0) {
      return hasZero ? keys.length : -1 - keys.length;
    }
    int mask = keys.length - 1;
    int slot = spread(key) & mask;
    while (keys[slot] != 0) {
      if (keys[slot] == key) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
    return -1 - slot;
  }

  /** Inserts {@code key} at the free slot {@code probed}, what {@link #probe} returned for it. */
  void insert(int probed, long key, long first, long second) {
    int slot = -1 - probed;
    if (slot == keys.length) {
      hasZero = true;
    } else {
      keys[slot] = key;
    }
    size++;
    set(slot, first, second);
  }

  private void set(int slot, long first, long second) {
    values[slot * width] = first;
    if (width == 2) {
      values[slot * width + 1] = second;
    }
  }

  /** Makes room for {@code more} keys beyond those held, so that adding them grows nothing. */
  void reserve(long more) {
    while (4L * (size + more) > 3L * keys.length && keys.length < 1 << 30) {
      grow();
    }
  }

  /** The bytes the map's arrays take. */
  long bytes() {
    return 8L * (keys.length + values.length);
  }

  /** The bytes the arrays of a map of {@code width} values a key take for {@code keys} keys. */
  static long bytesFor(long keys, int width) {
    long capacity = MIN_CAPACITY;
    while (4 * keys > 3 * capacity) {
      capacity *= 2;
    }
    return 8 * (capacity + (capacity + 1) * width);
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    boolean zero = hasZero;
    allocate(oldKeys.length * 2);
    size = 0;
    hasZero = false;
    for (int i = 0; i <= oldKeys.length; i++) {
      if (i < oldKeys.length ? oldKeys[i] != 0 : zero) {
        long key = i < oldKeys.length ? oldKeys[i] : 0;
        put(key, oldValues[i * width], width == 2 ? oldValues[i * width + 1] : 0);
      }
    }
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    values = new long[(capacity + 1) * width];
  }

  /** The key's bits folded, so keys that differ only in their high bits spread over slots too. */
  private static int spread(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
