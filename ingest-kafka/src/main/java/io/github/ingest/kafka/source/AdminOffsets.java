package io.github.ingest.kafka.source;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@link KafkaOffsets} answered by a Kafka cluster: an Admin client for offsets, topics and groups,
 * and, for the questions about visible records, a {@code read_committed} consumer. Every call waits
 * at most the timeout, and a failure says what was tried.
 */
public final class AdminOffsets implements KafkaOffsets {

  private final Admin admin;
  private final Properties properties;
  private final Duration timeout;

  private AdminOffsets(Admin admin, Properties properties, Duration timeout) {
    this.admin = admin;
    this.properties = properties;
    this.timeout = timeout;
  }

  /** Answers from the cluster {@code kafkaProperties} name, each within {@code timeout}. */
  public static AdminOffsets create(Properties kafkaProperties, Duration timeout) {
    Properties properties = new Properties();
    properties.putAll(kafkaProperties);
    properties.putIfAbsent(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
    // a request may not outlast the call it belongs to
    properties.putIfAbsent(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Long.toString(Math.min(timeout.toMillis(), 30_000)));
    return new AdminOffsets(Admin.create(properties), properties, timeout);
  }

  @Override
  public Topic describe(String topic) {
    TopicDescription description;
    try {
      description =
          await(
                  admin.describeTopics(Collections.singleton(topic)).allTopicNames(),
                  "describe Kafka topic " + topic)
              .get(topic);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalArgumentException("Cannot find Kafka topic " + topic, e.getCause());
      }
      throw e;
    }
    Uuid id = description.topicId();
    return new Topic(
        topic,
        id == null || Uuid.ZERO_UUID.equals(id) ? "" : id.toString(),
        description.partitions().size());
  }

  @Override
  public String clusterId() {
    return await(admin.describeCluster().clusterId(), "describe the Kafka cluster");
  }

  @Override
  public Map<Integer, Long> earliest(String topic, Collection<Integer> partitions) {
    return list(topic, partitions, OffsetSpec.earliest());
  }

  @Override
  public Map<Integer, Long> latest(String topic, Collection<Integer> partitions) {
    return list(topic, partitions, OffsetSpec.latest());
  }

  @Override
  public Map<Integer, Long> atTimestamp(String topic, Collection<Integer> partitions, long millis) {
    return list(topic, partitions, OffsetSpec.forTimestamp(millis));
  }

  @Override
  public Map<Integer, Long> committed(String groupId, String topic) {
    Map<TopicPartition, OffsetAndMetadata> all =
        await(
            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
            "list the offsets of consumer group " + groupId);
    Map<Integer, Long> offsets = new HashMap<>();
    all.forEach(
        (partition, offset) -> {
          if (partition.topic().equals(topic) && offset != null) {
            offsets.put(partition.partition(), offset.offset());
          }
        });
    return offsets;
  }

  @Override
  public void commit(String groupId, String topic, Map<Integer, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
    offsets.forEach(
        (partition, offset) ->
            request.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
    await(
        admin.alterConsumerGroupOffsets(groupId, request).all(),
        "commit the offsets of consumer group " + groupId);
  }

  @Override
  public Visible visible() {
    return new VisibleRecords(properties, timeout);
  }

  private Map<Integer, Long> list(String topic, Collection<Integer> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request =
        partitions.stream()
            .map(p -> new TopicPartition(topic, p))
            .collect(Collectors.toMap(Function.identity(), p -> spec));
    Map<TopicPartition, ListOffsetsResultInfo> result =
        await(
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(),
            "list the offsets of " + request.keySet());
    return result.entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
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

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
