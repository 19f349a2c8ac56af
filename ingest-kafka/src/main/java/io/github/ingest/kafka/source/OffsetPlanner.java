package io.github.ingest.kafka.source;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a batch's offsets from the table's last batch and what Kafka answers ({@link
 * KafkaOffsets}): the end of each partition as seen by a {@code read_committed} consumer, so a
 * batch never waits on an open transaction. The rules are here; the questions to the cluster are
 * {@link AdminOffsets}. {@code planner.visible(planner.plan(topic, lastStops, "", options))} is
 * what a batch reads.
 */
public final class OffsetPlanner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OffsetPlanner.class);

  private final KafkaOffsets kafka;

  /** A planner on the answers of {@code kafka}, which it closes. */
  public OffsetPlanner(KafkaOffsets kafka) {
    this.kafka = kafka;
  }

  /** A planner that asks the cluster {@code kafkaProperties} name, each call within timeout. */
  public static OffsetPlanner create(Properties kafkaProperties, Duration timeout) {
    return new OffsetPlanner(AdminOffsets.create(kafkaProperties, timeout));
  }

  /**
   * The next batch of topic {@code described} (see {@link KafkaOffsets#describe}), which carries
   * the topic's id. With {@code lastStops}, the stop offsets of the source's last batch, each
   * partition starts there, and a partition the last batch did not know starts at its earliest
   * offset. Without, a partition starts at the group's committed offset, else at the options'
   * starting position. Every partition stops at its end, or after the options' cap. {@code
   * lastTopicId} is the id of the topic the last batch read ({@code ""} if unknown): a topic with
   * another id was deleted and recreated, and its partitions start at their earliest offsets only
   * if the options accept its id.
   *
   * @throws IngestException with {@link ExitCode#BAD_CONFIG} if the topic was recreated and its new
   *     id is not accepted, if a start is below the partition's log start offset and the options do
   *     not allow skipping, or if a start is beyond the partition's end
   */
  public OffsetPlan plan(
      KafkaOffsets.Topic described,
      Optional<Map<Integer, Long>> lastStops,
      String lastTopicId,
      PlanOptions options) {
    String topic = described.name();
    String topicId = described.id();
    List<Integer> partitions =
        IntStream.range(0, described.partitions()).boxed().collect(Collectors.toList());
    boolean accepted = !topicId.isEmpty() && topicId.equals(options.acceptedTopicId());
    if (lastStops.isPresent() && !lastTopicId.isEmpty() && !lastTopicId.equals(topicId)) {
      if (!accepted) {
        throw new IngestException(
            ExitCode.BAD_CONFIG,
            String.format(
                "Topic %s was deleted and recreated: the table's batches read the topic with id"
                    + " %s, the topic now has id %s. Set kafka.accept-topic-id=%s to read the new"
                    + " topic from its earliest offsets; batch numbers go on",
                topic, lastTopicId, topicId, topicId));
      }
      LOG.warn(
          "Topic {} has the new id {}, as accepted: reading it from its start", topic, topicId);
      lastStops = Optional.of(Map.of());
    } else if (lastStops.isPresent() && lastTopicId.isEmpty() && accepted) {
      LOG.warn("Topic {} has the accepted id {}: reading it from its start", topic, topicId);
      lastStops = Optional.of(Map.of());
    }
    Map<Integer, Long> earliest = kafka.earliest(topic, partitions);
    Map<Integer, Long> end = kafka.latest(topic, partitions);
    Map<Integer, Long> starts =
        lastStops.isPresent()
            ? continued(topic, topicId, partitions, lastStops.get(), earliest)
            : firstStarts(topic, partitions, options, end);
    Map<Integer, Long> lostFrom = lost(topic, partitions, starts, earliest, options);
    List<OffsetRange> ranges = new ArrayList<>();
    for (int partition : partitions) {
      long start = Math.max(starts.get(partition), earliest.get(partition));
      long logEnd = end.get(partition);
      if (start > logEnd) {
        throw recreated(
            topic,
            topicId,
            String.format(
                "partition %d ends at offset %d, before the start offset %d",
                partition, logEnd, start));
      }
      long stop = logEnd;
      if (options.maxOffsetsPerPartition() > 0) {
        stop = Math.min(stop, start + options.maxOffsetsPerPartition());
      }
      ranges.add(OffsetRange.of(partition, start, stop));
    }
    return OffsetPlan.of(topic, VisibleRanges.widenCapped(kafka, topic, ranges, end), lostFrom)
        .withTopicId(topicId);
  }

  /** Where each partition starts after the last batch: its stop, or a new one's earliest offset. */
  private static Map<Integer, Long> continued(
      String topic,
      String topicId,
      List<Integer> partitions,
      Map<Integer, Long> lastStops,
      Map<Integer, Long> earliest) {
    for (Integer known : lastStops.keySet()) {
      if (known >= partitions.size()) {
        throw recreated(
            topic,
            topicId,
            String.format(
                "it has %d partitions, but the last batch read partition %d",
                partitions.size(), known));
      }
    }
    Map<Integer, Long> starts = new HashMap<>();
    partitions.forEach(p -> starts.put(p, lastStops.getOrDefault(p, earliest.get(p))));
    return starts;
  }

  /** Where a new source starts: the group's committed offsets, else the starting position. */
  private Map<Integer, Long> firstStarts(
      String topic, List<Integer> partitions, PlanOptions options, Map<Integer, Long> end) {
    Map<Integer, Long> starts = new HashMap<>(kafka.committed(options.groupId(), topic));
    starts.keySet().retainAll(partitions);
    List<Integer> rest =
        partitions.stream().filter(p -> !starts.containsKey(p)).collect(Collectors.toList());
    if (rest.isEmpty()) {
      return starts;
    }
    StartingPosition position = options.startingPosition();
    switch (position.kind()) {
      case EARLIEST:
        starts.putAll(kafka.earliest(topic, rest));
        break;
      case LATEST:
        rest.forEach(p -> starts.put(p, end.get(p)));
        break;
      case TIMESTAMP:
        // no record at or after the timestamp: -1, start at the end
        kafka
            .atTimestamp(topic, rest, position.timestampMillis())
            .forEach((p, offset) -> starts.put(p, offset < 0 ? end.get(p) : offset));
        break;
      default:
        throw new IllegalArgumentException("Unknown starting position " + position);
    }
    return starts;
  }

  /**
   * The offsets retention deleted before any batch read them: each partition's start, where it is
   * below the partition's earliest offset. Refused unless the options skip them.
   */
  private static Map<Integer, Long> lost(
      String topic,
      List<Integer> partitions,
      Map<Integer, Long> starts,
      Map<Integer, Long> earliest,
      PlanOptions options) {
    Map<Integer, Long> lostFrom = new TreeMap<>();
    List<String> lost = new ArrayList<>();
    for (int partition : partitions) {
      if (starts.get(partition) < earliest.get(partition)) {
        lostFrom.put(partition, starts.get(partition));
        lost.add(
            String.format(
                "[%d, %d) of partition %d",
                starts.get(partition), earliest.get(partition), partition));
      }
    }
    if (!lost.isEmpty()) {
      String deleted =
          String.format(
              "Offsets %s of topic %s were deleted by retention before any batch read them",
              String.join(", ", lost), topic);
      if (!options.skipLostOffsets()) {
        throw new IngestException(
            ExitCode.BAD_CONFIG,
            deleted + ". Set kafka.on-lost-offsets=skip to skip them and go on.");
      }
      LOG.warn("{}: skipping them, as configured", deleted);
    }
    return lostFrom;
  }

  private static IngestException recreated(String topic, String topicId, String evidence) {
    return new IngestException(
        ExitCode.BAD_CONFIG,
        String.format(
            "Topic %s does not hold what the table's batches read: %s. Was it deleted and"
                + " recreated? If so, set kafka.accept-topic-id=%s to read the new topic from its"
                + " earliest offsets",
            topic, evidence, topicId.isEmpty() ? "<topic id>" : topicId));
  }

  /**
   * The ranges of {@code plan} cut after their last record that a {@code read_committed} consumer
   * sees; a range with no such record becomes empty. The offsets cut off hold only transaction
   * markers, aborted or compacted records, so reading the result reads every record of the plan.
   *
   * <p>A bounded Kafka source finishes a partition only when it reads the record just before the
   * stop offset (FLINK-34470); on a range that ends on a transaction marker it would wait forever.
   */
  public OffsetPlan visible(OffsetPlan plan) {
    return VisibleRanges.cut(kafka, plan);
  }

  /**
   * A hint, before the table says where the next batch starts, that it will find records: whether
   * consumer group {@code groupId}, whose offsets the job commits after each batch, is behind the
   * end of a partition of {@code topic}, or has no offsets of it. True when Kafka cannot tell.
   */
  public boolean groupBehind(String groupId, String topic) {
    try {
      Map<Integer, Long> committed = kafka.committed(groupId, topic);
      if (committed.isEmpty()) {
        return true;
      }
      return kafka.latest(topic, committed.keySet()).entrySet().stream()
          .anyMatch(end -> end.getValue() > committed.get(end.getKey()));
    } catch (RuntimeException e) {
      LOG.debug("Cannot compare the offsets of group {} with the ends of {}", groupId, topic, e);
      return true;
    }
  }

  /**
   * How far each partition of {@code plan}'s topic ends beyond {@code tableAt}, where the table
   * stands after the batch (a partition it does not know stands at 0).
   */
  public Map<Integer, Long> lag(OffsetPlan plan, Map<Integer, Long> tableAt) {
    List<Integer> partitions =
        plan.ranges().stream().map(OffsetRange::partition).collect(Collectors.toList());
    Map<Integer, Long> lag = new TreeMap<>();
    kafka
        .latest(plan.topic(), partitions)
        .forEach((p, end) -> lag.put(p, Math.max(0, end - tableAt.getOrDefault(p, 0L))));
    return lag;
  }

  /** The cluster's answers this planner plans on: for the questions that are not planning. */
  public KafkaOffsets kafka() {
    return kafka;
  }

  @Override
  public void close() {
    kafka.close();
  }
}
