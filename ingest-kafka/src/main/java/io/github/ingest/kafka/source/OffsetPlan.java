package io.github.ingest.kafka.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset ranges of a topic's partitions that one batch reads, and the offsets it knowingly
 * skips because retention deleted them before they were read.
 */
public final class OffsetPlan {

  private final String topic;
  private final List<OffsetRange> ranges;
  private final SortedMap<Integer, Long> lostFrom;
  private final String topicId;

  private OffsetPlan(
      String topic, List<OffsetRange> ranges, SortedMap<Integer, Long> lostFrom, String topicId) {
    this.topic = topic;
    this.ranges = ranges;
    this.lostFrom = lostFrom;
    this.topicId = topicId;
  }

  public static OffsetPlan of(String topic, List<OffsetRange> ranges) {
    return of(topic, ranges, Collections.emptyMap());
  }

  /**
   * A plan that also records, per partition, the first offset lost to retention: the offsets from
   * there up to the range's start were deleted before any batch read them.
   */
  public static OffsetPlan of(String topic, List<OffsetRange> ranges, Map<Integer, Long> lostFrom) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("Invalid topic: " + topic);
    }
    Set<Integer> partitions = new HashSet<>();
    for (OffsetRange range : ranges) {
      if (!partitions.add(range.partition())) {
        throw new IllegalArgumentException(
            "Invalid offset plan for topic "
                + topic
                + ": partition "
                + range.partition()
                + " twice");
      }
    }
    lostFrom.forEach(
        (partition, offset) -> {
          OffsetRange range =
              ranges.stream().filter(r -> r.partition() == partition).findFirst().orElse(null);
          if (range == null || offset >= range.start()) {
            throw new IllegalArgumentException(
                "Invalid lost offset " + offset + " of partition " + partition + " in " + ranges);
          }
        });
    List<OffsetRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingInt(OffsetRange::partition));
    return new OffsetPlan(
        topic,
        Collections.unmodifiableList(sorted),
        Collections.unmodifiableSortedMap(new TreeMap<>(lostFrom)),
        "");
  }

  /** This plan, of the topic with id {@code newTopicId} ({@code ""} if the brokers report none). */
  public OffsetPlan withTopicId(String newTopicId) {
    return new OffsetPlan(topic, ranges, lostFrom, newTopicId);
  }

  public String topic() {
    return topic;
  }

  /** The id of the topic planned, as Kafka described it; {@code ""} if unknown. */
  public String topicId() {
    return topicId;
  }

  /** One range per partition, by partition number. */
  public List<OffsetRange> ranges() {
    return ranges;
  }

  /** Per partition, the first offset that retention deleted before it was read; often empty. */
  public SortedMap<Integer, Long> lostFrom() {
    return lostFrom;
  }

  /** The start offset of every partition in the plan. */
  public SortedMap<Integer, Long> starts() {
    SortedMap<Integer, Long> starts = new TreeMap<>();
    ranges.forEach(range -> starts.put(range.partition(), range.start()));
    return starts;
  }

  /** The stop offset of every partition in the plan: where the next batch starts. */
  public SortedMap<Integer, Long> stops() {
    SortedMap<Integer, Long> stops = new TreeMap<>();
    ranges.forEach(range -> stops.put(range.partition(), range.stop()));
    return stops;
  }

  /** Offsets to read in all partitions. */
  public long size() {
    return ranges.stream().mapToLong(OffsetRange::size).sum();
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** The ranges that have offsets to read. */
  public List<OffsetRange> nonEmptyRanges() {
    return ranges.stream().filter(r -> !r.isEmpty()).collect(Collectors.toList());
  }

  Map<TopicPartition, Long> startOffsets() {
    return offsets(true);
  }

  Map<TopicPartition, Long> stopOffsets() {
    return offsets(false);
  }

  private Map<TopicPartition, Long> offsets(boolean start) {
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    for (OffsetRange range : nonEmptyRanges()) {
      offsets.put(
          new TopicPartition(topic, range.partition()), start ? range.start() : range.stop());
    }
    return offsets;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof OffsetPlan)) {
      return false;
    }
    OffsetPlan that = (OffsetPlan) other;
    return topic.equals(that.topic)
        && ranges.equals(that.ranges)
        && lostFrom.equals(that.lostFrom)
        && topicId.equals(that.topicId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, ranges, lostFrom);
  }

  /** {@code balance_changes 0:[0, 10) 1:[5, 5)}. */
  @Override
  public String toString() {
    return topic
        + " "
        + ranges.stream().map(OffsetRange::toString).collect(Collectors.joining(" "));
  }
}
