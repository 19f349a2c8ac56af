package io.github.ingest.kafka.source;

/**
 * How a batch's offsets are planned: the consumer group, where a source with no state starts,
 * whether offsets lost to retention may be skipped, and a cap on offsets per partition and run.
 */
public final class PlanOptions {

  private final String groupId;
  private final StartingPosition startingPosition;
  private final boolean skipLostOffsets;
  private final long maxOffsetsPerPartition;
  private final String acceptedTopicId;

  private PlanOptions(
      String groupId,
      StartingPosition startingPosition,
      boolean skipLostOffsets,
      long maxOffsetsPerPartition,
      String acceptedTopicId) {
    this.groupId = groupId;
    this.startingPosition = startingPosition;
    this.skipLostOffsets = skipLostOffsets;
    this.maxOffsetsPerPartition = maxOffsetsPerPartition;
    this.acceptedTopicId = acceptedTopicId;
  }

  /** Group offsets first, else the earliest offsets; lost offsets fail the plan; no cap. */
  public static PlanOptions forGroup(String groupId) {
    return new PlanOptions(groupId, StartingPosition.EARLIEST, false, 0, "");
  }

  /** Where partitions start when neither the table nor the group has a position. */
  public PlanOptions startingAt(StartingPosition position) {
    return new PlanOptions(
        groupId, position, skipLostOffsets, maxOffsetsPerPartition, acceptedTopicId);
  }

  /** Whether to skip, rather than fail on, offsets that retention deleted before they were read. */
  public PlanOptions skipLostOffsets(boolean skip) {
    return new PlanOptions(
        groupId, startingPosition, skip, maxOffsetsPerPartition, acceptedTopicId);
  }

  /** At most {@code max} offsets per partition in one batch; 0 for no cap. */
  public PlanOptions maxOffsetsPerPartition(long max) {
    if (max < 0) {
      throw new IllegalArgumentException("Invalid maximum offsets per partition: " + max);
    }
    return new PlanOptions(groupId, startingPosition, skipLostOffsets, max, acceptedTopicId);
  }

  /**
   * The id of a recreated topic that may be read from its start although the source's batches read
   * a topic of the same name with another id; {@code ""} for none.
   */
  public PlanOptions acceptTopicId(String topicId) {
    return new PlanOptions(
        groupId, startingPosition, skipLostOffsets, maxOffsetsPerPartition, topicId.trim());
  }

  public String groupId() {
    return groupId;
  }

  public StartingPosition startingPosition() {
    return startingPosition;
  }

  public boolean skipLostOffsets() {
    return skipLostOffsets;
  }

  public long maxOffsetsPerPartition() {
    return maxOffsetsPerPartition;
  }

  public String acceptedTopicId() {
    return acceptedTopicId;
  }
}
