package io.github.ingest.kafka.source;

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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
 */
public final class OffsetPlanner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OffsetPlanner.class);
  private static final long FIRST_WINDOW = 64;

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
   * @throws LostOffsetsException if a start is below the partition's log start offset and the
   *     options do not allow skipping
   * @throws IllegalStateException if a start is beyond the partition's end
   */
  public OffsetPlan plan(
      String topic, Optional<Map<Integer, Long>> lastStops, PlanOptions options) {
    List<TopicPartition> partitions = partitions(topic);
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
          throw new IllegalStateException(
              "Topic "
                  + topic
                  + " has "
                  + partitions.size()
                  + " partitions, but the last batch"
                  + " read partition "
                  + known
                  + ": was the topic deleted and recreated?");
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
    for (TopicPartition partition : partitions) {
      long start = starts.get(partition);
      long logStart = earliest.get(partition);
      long logEnd = end.get(partition);
      if (start < logStart) {
        String lost =
            String.format(
                "Offsets [%d, %d) of partition %d of topic %s were deleted by retention before"
                    + " any batch read them",
                start, logStart, partition.partition(), topic);
        if (!options.skipLostOffsets()) {
          throw new LostOffsetsException(
              lost + ". Set kafka.on-lost-offsets=skip to skip them and go on.");
        }
        LOG.warn("{}: skipping them, as configured", lost);
        lostFrom.put(partition.partition(), start);
        start = logStart;
      }
      if (start > logEnd) {
        throw new IllegalStateException(
            String.format(
                "Partition %d of topic %s ends at offset %d, before the start offset %d: was the"
                    + " topic deleted and recreated?",
                partition.partition(), topic, logEnd, start));
      }
      long stop = logEnd;
      if (options.maxOffsetsPerPartition() > 0) {
        stop = Math.min(stop, start + options.maxOffsetsPerPartition());
      }
      ranges.add(OffsetRange.of(partition.partition(), start, stop));
    }
    return OffsetPlan.of(topic, ranges, lostFrom);
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
    Properties consumerProperties = new Properties();
    consumerProperties.putAll(properties);
    consumerProperties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProperties.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    List<OffsetRange> ranges = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (OffsetRange range : plan.ranges()) {
        long last = range.isEmpty() ? -1 : lastVisible(consumer, plan.topic(), range);
        ranges.add(
            OffsetRange.of(range.partition(), range.start(), Math.max(range.start(), last + 1)));
      }
    }
    return OffsetPlan.of(plan.topic(), ranges);
  }

  /** The last offset in {@code range} with a visible record, or -1. Reads backwards in windows. */
  private long lastVisible(
      KafkaConsumer<byte[], byte[]> consumer, String topic, OffsetRange range) {
    TopicPartition partition = new TopicPartition(topic, range.partition());
    consumer.assign(Collections.singleton(partition));
    long window = FIRST_WINDOW;
    long stop = range.stop();
    while (stop > range.start()) {
      long from = Math.max(range.start(), stop - window);
      consumer.seek(partition, from);
      long last = -1;
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(partition, timeout) < stop) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              String.format(
                  "Cannot read offsets [%d, %d) of partition %d of topic %s within %d s",
                  from, stop, range.partition(), topic, timeout.getSeconds()));
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < stop) {
            last = Math.max(last, record.offset());
          }
        }
      }
      if (last >= 0) {
        return last;
      }
      stop = from;
      window *= 8;
    }
    return -1;
  }

  /** The group's committed offsets of those {@code partitions} that have one. */
  public Map<TopicPartition, Long> groupOffsets(String groupId, List<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(
            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
            "list the offsets of consumer group " + groupId);
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

  private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
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

  /** Every partition of {@code topic} from its earliest offset to its end. */
  public OffsetPlan fromEarliest(String topic) {
    List<TopicPartition> partitions = partitions(topic);
    Map<TopicPartition, Long> earliest = listOffsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> end = listOffsets(partitions, OffsetSpec.latest());
    List<OffsetRange> ranges = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      ranges.add(
          OffsetRange.of(partition.partition(), earliest.get(partition), end.get(partition)));
    }
    return OffsetPlan.of(topic, ranges);
  }

  /** The topic's partitions, by number. */
  public List<TopicPartition> partitions(String topic) {
    TopicDescription description;
    try {
      description =
          admin
              .describeTopics(Collections.singleton(topic))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalArgumentException("Cannot find Kafka topic " + topic, e.getCause());
      }
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
          "Cannot describe Kafka topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Cannot reach the Kafka brokers within " + timeout.getSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while describing topic " + topic, e);
    }
    return description.partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
        .collect(Collectors.toList());
  }

  /** The offsets {@code spec} names, as a {@code read_committed} consumer sees them. */
  public Map<TopicPartition, Long> listOffsets(List<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec));
    try {
      Map<TopicPartition, ListOffsetsResultInfo> result =
          admin
              .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return result.entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Cannot list offsets of " + partitions + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Cannot reach the Kafka brokers within " + timeout.getSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing offsets", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
