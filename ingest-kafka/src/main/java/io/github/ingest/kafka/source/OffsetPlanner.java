package io.github.ingest.kafka.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Plans a batch's offsets from what the broker reports: the end of each partition as seen by a
 * {@code read_committed} consumer, so a batch never waits on an open transaction.
 *
 * <pre>{@code
 * try (OffsetPlanner planner = OffsetPlanner.create(kafkaProperties, Duration.ofSeconds(30))) {
 *   OffsetPlan plan = planner.fromEarliest("balance_changes");
 * }
 * }</pre>
 */
public final class OffsetPlanner implements AutoCloseable {

  private final Admin admin;
  private final Duration timeout;

  private OffsetPlanner(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** A planner over an Admin client made from {@code kafkaProperties}. */
  public static OffsetPlanner create(Properties kafkaProperties, Duration timeout) {
    Properties properties = new Properties();
    properties.putAll(kafkaProperties);
    properties.putIfAbsent(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    return new OffsetPlanner(Admin.create(properties), timeout);
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
