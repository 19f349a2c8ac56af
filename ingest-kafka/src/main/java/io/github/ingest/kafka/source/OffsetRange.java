package io.github.ingest.kafka.source;

import java.util.Objects;

/** The offsets {@code [start, stop)} of one partition that a batch reads. */
public final class OffsetRange {

  private final int partition;
  private final long start;
  private final long stop;

  private OffsetRange(int partition, long start, long stop) {
    this.partition = partition;
    this.start = start;
    this.stop = stop;
  }

  public static OffsetRange of(int partition, long start, long stop) {
    if (partition < 0) {
      throw new IllegalArgumentException("Invalid partition: " + partition);
    }
    if (start < 0 || stop < start) {
      throw new IllegalArgumentException(
          "Invalid offset range of partition " + partition + ": [" + start + ", " + stop + ")");
    }
    return new OffsetRange(partition, start, stop);
  }

  public int partition() {
    return partition;
  }

  /** The first offset read. */
  public long start() {
    return start;
  }

  /** The offset after the last one read: the next batch starts here. */
  public long stop() {
    return stop;
  }

  /** Offsets in the range; records may be fewer on a transactional or compacted topic. */
  public long size() {
    return stop - start;
  }

  public boolean isEmpty() {
    return stop == start;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof OffsetRange)) {
      return false;
    }
    OffsetRange that = (OffsetRange) other;
    return partition == that.partition && start == that.start && stop == that.stop;
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, start, stop);
  }

  /** {@code 3:[1187, 2000)}. */
  @Override
  public String toString() {
    return partition + ":[" + start + ", " + stop + ")";
  }
}
