package io.github.ingest.core.mapping;

/**
 * The keys of one JSON object that were read so far, by their index among the keys the mapping
 * reads there: a key read twice is ambiguous, and rejects the record ({@link
 * RecordRejectedException.Kind#DUPLICATE_KEY}). Keys the mapping does not read may repeat. Cheaper
 * than Jackson's duplicate detection, which keeps a set of every key.
 */
final class KeysSeen {
  private long first64;
  private final boolean[] more;

  KeysSeen(int keys) {
    this.more = keys > 64 ? new boolean[keys] : null;
  }

  /** Records the key at {@code index}; whether it was seen before. */
  boolean repeats(int index) {
    if (more != null) {
      boolean seen = more[index];
      more[index] = true;
      return seen;
    }
    long bit = 1L << index;
    boolean seen = (first64 & bit) != 0;
    first64 |= bit;
    return seen;
  }
}
