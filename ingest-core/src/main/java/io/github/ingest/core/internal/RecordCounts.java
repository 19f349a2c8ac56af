package io.github.ingest.core.internal;

import java.io.Serializable;

/**
 * How many records a part of a batch read and rejected, and the first rejection's reason: what a
 * mapper reports at the end of its input so the commit can reconcile counts and apply thresholds.
 */
public final class RecordCounts implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final RecordCounts NONE = new RecordCounts(0, 0, null);

  private final long read;
  private final long rejected;
  private final String firstRejection;

  private RecordCounts(long read, long rejected, String firstRejection) {
    this.read = read;
    this.rejected = rejected;
    this.firstRejection = firstRejection;
  }

  /** {@code rejected} of {@code read} records; {@code firstRejection} is null if none was. */
  public static RecordCounts of(long read, long rejected, String firstRejection) {
    if (read < 0 || rejected < 0 || rejected > read) {
      throw new IllegalArgumentException(
          "Invalid counts: " + rejected + " rejected of " + read + " read");
    }
    return new RecordCounts(read, rejected, firstRejection);
  }

  /** The counts of both parts; the first rejection of this one, else of the other. */
  public RecordCounts plus(RecordCounts other) {
    return new RecordCounts(
        read + other.read,
        rejected + other.rejected,
        firstRejection != null ? firstRejection : other.firstRejection);
  }

  public long read() {
    return read;
  }

  public long rejected() {
    return rejected;
  }

  /** The reason the first rejected record was rejected, or null. */
  public String firstRejection() {
    return firstRejection;
  }

  @Override
  public String toString() {
    return read + " read, " + rejected + " rejected";
  }
}
