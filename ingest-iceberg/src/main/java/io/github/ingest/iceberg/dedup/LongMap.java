package io.github.ingest.iceberg.dedup;

/**
 * A map from 64-bit key hashes to two longs, in three arrays: open addressing with linear probing,
 * 24 bytes a slot and at most half the slots used, so a key takes 48 bytes at most, where a {@code
 * HashMap<Long, long[]>} would take over 100 and a reference per entry to collect.
 */
final class LongMap {

  private static final int MIN_CAPACITY = 16;

  private long[] keys;
  private long[] first;
  private long[] second;
  private boolean[] used;
  private int size;

  LongMap() {
    allocate(MIN_CAPACITY);
  }

  int size() {
    return size;
  }

  /** The slot of {@code key}, or -1 if absent; read its values with {@link #first(int)}. */
  int find(long key) {
    int mask = keys.length - 1;
    for (int slot = mix(key) & mask; used[slot]; slot = (slot + 1) & mask) {
      if (keys[slot] == key) {
        return slot;
      }
    }
    return -1;
  }

  long first(int slot) {
    return first[slot];
  }

  long second(int slot) {
    return second[slot];
  }

  /** Maps {@code key} to the two values, replacing what it mapped to. */
  void put(long key, long firstValue, long secondValue) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int slot = mix(key) & mask;
    while (used[slot] && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    if (!used[slot]) {
      used[slot] = true;
      keys[slot] = key;
      size++;
    }
    first[slot] = firstValue;
    second[slot] = secondValue;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldFirst = first;
    long[] oldSecond = second;
    boolean[] oldUsed = used;
    allocate(oldKeys.length * 2);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldUsed[i]) {
        put(oldKeys[i], oldFirst[i], oldSecond[i]);
      }
    }
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    first = new long[capacity];
    second = new long[capacity];
    used = new boolean[capacity];
  }

  /** The key's bits folded, so keys that differ only in their high bits spread over slots too. */
  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
