package io.github.ingest.core.internal;

import java.io.Serializable;

/**
 * How many records a part of a batch read, rejected and left out as tombstones or duplicates, how
 * many dead letters it sent, and the first rejection's reason: what a mapper, and the deduplication
 * after it, report at the end of their input so the commit can reconcile counts (read = written +
 * rejected + tombstones + duplicates) and apply thresholds.
 */
public final class RecordCounts implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final RecordCounts NONE = new RecordCounts(0, 0, 0, 0, 0, null);

  private final long read;
  private final long rejected;
  private final long tombstones;
  private final long duplicates;
  private final long deadLettered;
  private final String firstRejection;

  private RecordCounts(
      long read,
      long rejected,
      long tombstones,
      long duplicates,
      long deadLettered,
      String firstRejection) {
    this.read = read;
    this.rejected = rejected;
    this.tombstones = tombstones;
    this.duplicates = duplicates;
    this.deadLettered = deadLettered;
    this.firstRejection = firstRejection;
  }

  /**
   * {@code rejected} of {@code read} records, every rejected one dead-lettered; {@code
   * firstRejection} is null if none was.
   */
  public static RecordCounts of(long read, long rejected, String firstRejection) {
    return of(read, rejected, 0, rejected, firstRejection);
  }

  /**
   * {@code rejected} and {@code tombstones} (neither written nor rejected) of {@code read} records,
   * {@code deadLettered} of them sent to the dead-letter table.
   */
  public static RecordCounts of(
      long read, long rejected, long tombstones, long deadLettered, String firstRejection) {
    if (read < 0
        || rejected < 0
        || tombstones < 0
        || deadLettered < 0
        || rejected + tombstones > read
        || deadLettered > rejected + tombstones) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid counts: %d rejected, %d tombstones, %d dead letters of %d read",
              rejected, tombstones, deadLettered, read));
    }
    return new RecordCounts(read, rejected, tombstones, 0, deadLettered, firstRejection);
  }

  /**
   * What deduplication, which reads no record of its own, left out: {@code duplicates} records
   * whose business key was written before, and {@code rejected} ones whose key was written with
   * other values; {@code deadLettered} of them sent to the dead-letter table.
   */
  public static RecordCounts deduplicated(
      long duplicates, long rejected, long deadLettered, String firstRejection) {
    if (duplicates < 0
        || rejected < 0
        || deadLettered < 0
        || deadLettered > duplicates + rejected) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid counts: %d duplicates, %d rejected, %d dead letters",
              duplicates, rejected, deadLettered));
    }
    return new RecordCounts(0, rejected, 0, duplicates, deadLettered, firstRejection);
  }

  /** The counts of both parts; the first rejection of this one, else of the other. */
  public RecordCounts plus(RecordCounts other) {
    return new RecordCounts(
        read + other.read,
        rejected + other.rejected,
        tombstones + other.tombstones,
        duplicates + other.duplicates,
        deadLettered + other.deadLettered,
        firstRejection != null ? firstRejection : other.firstRejection);
  }

  public long read() {
    return read;
  }

  public long rejected() {
    return rejected;
  }

  /** Tombstones neither written as rows nor rejected: skipped or dead-lettered. */
  public long tombstones() {
    return tombstones;
  }

  /** Records left out because their business key was written before: skipped or dead-lettered. */
  public long duplicates() {
    return duplicates;
  }

  /** Records sent to the dead-letter table: rejected ones, tombstones and duplicates if so set. */
  public long deadLettered() {
    return deadLettered;
  }

  /** The reason the first rejected record was rejected, or null. */
  public String firstRejection() {
    return firstRejection;
  }

  @Override
  public String toString() {
    return read
        + " read, "
        + rejected
        + " rejected, "
        + tombstones
        + " tombstones, "
        + duplicates
        + " duplicates";
  }
}
