package io.github.ingest.core.internal;

import java.util.Locale;

/**
 * What a batch does with a tombstone, a Kafka record without a value: in a compacted topic, the
 * deletion of its key. Only {@link #BAD_RECORD} counts it against the bad-record thresholds.
 */
public enum TombstonePolicy {
  /** Counted and skipped: no row, no dead letter (the default). */
  SKIP,
  /** Counted and written to the dead-letter table, with its key and place. */
  DEAD_LETTER,
  /** A row with the record's key and metadata; every column from the value is NULL. */
  ROW,
  /** A bad record like any other, under the bad-record policy and thresholds. */
  BAD_RECORD;

  /** The name in settings, e.g. {@code dead-letter}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
