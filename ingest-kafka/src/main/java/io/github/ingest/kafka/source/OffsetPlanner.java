package io.github.ingest.kafka.source;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a batch's offsets from the table's last batch and what the broker reports: the end of each
 * partition as seen by a {@code read_committed} consumer, so a batch never waits on an open
 * transaction.
 *
 * <pre>{@code
 * try (OffsetPlanner planner = OffsetPlanner.create(kafkaProperties, Duration.ofSeconds(30))) {
 *   OffsetPlan plan = planner.plan("balance_changes", lastStops, PlanOptions.forGroup("ingest"));
 *   OffsetPlan toRead = planner.visible(plan);
 * }
 * }</pre>
 *
 * <p>Over 300 lines because the plan is one decision over the admin client's answers (partitions,
 * ids, offsets, group offsets); reading records to find visible ones is {@link VisibleRecords}.
 */
public final class OffsetPlanner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OffsetPlanner.class);

  private final Admin admin;
  private final Properties properties;
  private final Duration timeout;

  private OffsetPlanner(Admin admin, Properties properties, Duration timeout) {
    this.admin = admin;
    this.properties = properties;
    this.timeout = timeout;
  }

  /** A planner over an Admin client made from {@code kafkaProperties}. */
  public static OffsetPlanner create(Properties kafkaProperties, Duration timeout) {
    Properties properties = new Properties();
    properties.putAll(kafkaProperties);
    properties.putIfAbsent(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    // a request may not outlast the call it belongs to
    properties.putIfAbsent(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Long.toString(Math.min(timeout.toMillis(), 30_000)));
    return new OffsetPlanner(Admin.create(properties), properties, timeout);
  }

  /**
   * The next batch of {@code topic}. With {@code lastStops}, the stop offsets of the source's last
   * batch, each partition starts there, and a partition the last batch did not know starts at its
   * earliest offset. Without, a partition starts at the group's committed offset, else at the
   * options' starting position. Every partition stops at its end, or after the options' cap.
   *
   * @throws IngestException with {@link ExitCode#BAD_CONFIG} if a start is below the partition's
   *     log start offset and the options do not allow skipping, or beyond the partition's end
   */
  public OffsetPlan plan(
      String topic, Optional<Map<Integer, Long>> lastStops, PlanOptions options) {
    return plan(topic, lastStops, "", options);
  }

  /**
   * As {@link #plan(String, Optional, PlanOptions)}, for a source whose last batch read the topic
   * with id {@code lastTopicId} ({@code ""} if unknown): a topic with another id was deleted and
   * recreated, and its partitions start at their earliest offsets only if the options accept its
   * id.
   *
   * @throws IngestException with {@link ExitCode#BAD_CONFIG} if the topic was recreated and its new
   *     id is not accepted
   */
  public OffsetPlan plan(
      String topic,
      Optional<Map<Integer, Long>> lastStops,
      String lastTopicId,
      PlanOptions options) {
    TopicDescription description = describe(topic);
    List<TopicPartition> partitions = partitions(description);
    String topicId = topicId(description);
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
      lastStops = Optional.of(Collections.emptyMap());
    } else if (lastStops.isPresent() && lastTopicId.isEmpty() && accepted) {
      LOG.warn("Topic {} has the accepted id {}: reading it from its start", topic, topicId);
      lastStops = Optional.of(Collections.emptyMap());
    }
    Map<TopicPartition, Long> earliest = listOffsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> end = listOffsets(partitions, OffsetSpec.latest());
    Map<TopicPartition, Long> starts = new HashMap<>();
    if (lastStops.isPresent()) {
      for (TopicPartition partition : partitions) {
        Long stop = lastStops.get().get(partition.partition());
        starts.put(partition, stop != null ? stop : earliest.get(partition));
      }
      for (Integer known : lastStops.get().keySet()) {
        if (known >= partitions.size()) {
          throw recreated(
              topic,
              topicId,
              String.format(
                  "it has %d partitions, but the last batch read partition %d",
                  partitions.size(), known));
        }
      }
    } else {
      Map<TopicPartition, Long> committed = groupOffsets(options.groupId(), partitions);
      List<TopicPartition> rest = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        if (committed.containsKey(partition)) {
          starts.put(partition, committed.get(partition));
        } else {
          rest.add(partition);
        }
      }
      if (!rest.isEmpty()) {
        starts.putAll(startingOffsets(rest, options.startingPosition(), end));
      }
    }

    List<OffsetRange> ranges = new ArrayList<>();
    Map<Integer, Long> lostFrom = new TreeMap<>();
    List<String> lost = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      if (starts.get(partition) < earliest.get(partition)) {
        lost.add(
            String.format(
                "[%d, %d) of partition %d",
                starts.get(partition), earliest.get(partition), partition.partition()));
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
    for (TopicPartition partition : partitions) {
      long start = starts.get(partition);
      long logStart = earliest.get(partition);
      long logEnd = end.get(partition);
      if (start < logStart) {
        lostFrom.put(partition.partition(), start);
        start = logStart;
      }
      if (start > logEnd) {
        throw recreated(
            topic,
            topicId,
            String.format(
                "partition %d ends at offset %d, before the start offset %d",
                partition.partition(), logEnd, start));
      }
      long stop = logEnd;
      if (options.maxOffsetsPerPartition() > 0) {
        stop = Math.min(stop, start + options.maxOffsetsPerPartition());
      }
      ranges.add(OffsetRange.of(partition.partition(), start, stop));
    }
    return OffsetPlan.of(topic, widenCapped(topic, ranges, end), lostFrom);
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
   * Ranges that a cap cut short but that hold no visible record (only aborted records, transaction
   * markers or compaction gaps) reach up to the next visible record, or to the end: otherwise every
   * run would find such a window empty, report nothing new and never move on.
   */
  private List<OffsetRange> widenCapped(
      String topic, List<OffsetRange> ranges, Map<TopicPartition, Long> end) {
    List<OffsetRange> widened = new ArrayList<>();
    VisibleRecords records = null;
    try {
      for (OffsetRange range : ranges) {
        long logEnd = end.get(new TopicPartition(topic, range.partition()));
        if (range.stop() >= logEnd) {
          widened.add(range);
          continue;
        }
        if (records == null) {
          records = new VisibleRecords(properties, timeout);
        }
        if (!range.isEmpty() && records.last(topic, range) >= 0) {
          widened.add(range);
          continue;
        }
        long next = records.first(topic, range.partition(), range.stop(), logEnd);
        long stop = next < 0 ? logEnd : next + 1;
        LOG.info(
            "Partition {}: no record in the capped range {}, reading up to offset {}",
            range.partition(),
            range,
            stop);
        widened.add(OffsetRange.of(range.partition(), range.start(), stop));
      }
    } finally {
      if (records != null) {
        records.close();
      }
    }
    return widened;
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
    if (plan.isEmpty()) {
      return plan;
    }
    List<OffsetRange> ranges = new ArrayList<>();
    try (VisibleRecords records = new VisibleRecords(properties, timeout)) {
      for (OffsetRange range : plan.ranges()) {
        long last = range.isEmpty() ? -1 : records.last(plan.topic(), range);
        ranges.add(
            OffsetRange.of(range.partition(), range.start(), Math.max(range.start(), last + 1)));
      }
    }
    return OffsetPlan.of(plan.topic(), ranges);
  }

  /** The group's committed offsets of those {@code partitions} that have one. */
  public Map<TopicPartition, Long> groupOffsets(String groupId, List<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(groupId);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        offsets.put(partition, offset.offset());
      }
    }
    return offsets;
  }

  /**
   * A hint, before the table says where the next batch starts, that it will find records: whether
   * consumer group {@code groupId}, whose offsets the job commits after each batch, is behind the
   * end of a partition of {@code topic}, or has no offsets of it. True when Kafka cannot tell.
   */
  public boolean groupBehind(String groupId, String topic) {
    try {
      Map<TopicPartition, Long> committed = new HashMap<>();
      committedOffsets(groupId)
          .forEach(
              (partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                  committed.put(partition, offset.offset());
                }
              });
      if (committed.isEmpty()) {
        return true;
      }
      Map<TopicPartition, Long> ends =
          listOffsets(new ArrayList<>(committed.keySet()), OffsetSpec.latest());
      return ends.entrySet().stream().anyMatch(end -> end.getValue() > committed.get(end.getKey()));
    } catch (RuntimeException e) {
      LOG.debug("Cannot compare the offsets of group {} with the ends of {}", groupId, topic, e);
      return true;
    }
  }

  /** Every offset consumer group {@code groupId} committed, by partition (a value may be null). */
  private Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
    return await(
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
        "list the offsets of consumer group " + groupId);
  }

  /**
   * Commits {@code stops} as the group's offsets of {@code topic}, so lag monitors see what was
   * ingested. Fails if the group has active members.
   */
  public void commitGroupOffsets(String groupId, String topic, Map<Integer, Long> stops) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    stops.forEach(
        (partition, offset) ->
            offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
    await(
        admin.alterConsumerGroupOffsets(groupId, offsets).all(),
        "commit the offsets of consumer group " + groupId);
  }

  private Map<TopicPartition, Long> startingOffsets(
      List<TopicPartition> partitions, StartingPosition position, Map<TopicPartition, Long> end) {
    switch (position.kind()) {
      case EARLIEST:
        return listOffsets(partitions, OffsetSpec.earliest());
      case LATEST:
        Map<TopicPartition, Long> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, end.get(p)));
        return latest;
      case TIMESTAMP:
        Map<TopicPartition, Long> atTime =
            new HashMap<>(
                listOffsets(partitions, OffsetSpec.forTimestamp(position.timestampMillis())));
        // no record at or after the timestamp: -1, start at the end
        atTime.replaceAll((p, offset) -> offset < 0 ? end.get(p) : offset);
        return atTime;
      default:
        throw new IllegalArgumentException("Unknown starting position " + position);
    }
  }

  /** The future's value; its failure as one message that says what was tried, and why not. */
  private <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new IllegalStateException(
            "No Kafka broker of "
                + properties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                + " answered within "
                + timeout.getSeconds()
                + " s",
            e.getCause());
      }
      throw new IllegalStateException(
          "Cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Cannot " + what + " within " + timeout.getSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while trying to " + what, e);
    }
  }

  /**
   * The topic's id, which changes when the topic is deleted and created again; {@code ""} if the
   * brokers do not report one.
   */
  public String topicId(String topic) {
    return topicId(describe(topic));
  }

  /** The topic's partitions, by number. */
  private static List<TopicPartition> partitions(TopicDescription description) {
    return description.partitions().stream()
        .map(p -> new TopicPartition(description.name(), p.partition()))
        .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
        .collect(Collectors.toList());
  }

  private static String topicId(TopicDescription description) {
    Uuid id = description.topicId();
    return id == null || Uuid.ZERO_UUID.equals(id) ? "" : id.toString();
  }

  /**
   * The Kafka cluster's id, which names the cluster however its brokers are spelled; null if the
   * brokers do not report one.
   */
  public String clusterId() {
    return await(admin.describeCluster().clusterId(), "describe the Kafka cluster");
  }

  private TopicDescription describe(String topic) {
    try {
      return await(
              admin.describeTopics(Collections.singleton(topic)).allTopicNames(),
              "describe Kafka topic " + topic)
          .get(topic);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalArgumentException("Cannot find Kafka topic " + topic, e.getCause());
      }
      throw e;
    }
  }

  /** The offsets {@code spec} names, as a {@code read_committed} consumer sees them. */
  public Map<TopicPartition, Long> listOffsets(List<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec));
    Map<TopicPartition, ListOffsetsResultInfo> result =
        await(
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(),
            "list the offsets of " + partitions);
    return result.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
