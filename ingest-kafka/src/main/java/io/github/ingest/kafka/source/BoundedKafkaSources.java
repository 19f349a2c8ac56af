package io.github.ingest.kafka.source;

import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * Bounded {@link KafkaSource}s that read exactly the ranges of an {@link OffsetPlan}.
 *
 * <pre>{@code
 * KafkaSource<KafkaMessage> source = BoundedKafkaSources.of(plan, kafkaProperties, "ingest-");
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka");
 * }</pre>
 */
public final class BoundedKafkaSources {

  private BoundedKafkaSources() {}

  /**
   * A source over the non-empty ranges of {@code plan}; the plan must have one. Reads {@code
   * read_committed}: records of aborted transactions are skipped, never ingested.
   */
  public static KafkaSource<KafkaMessage> of(
      OffsetPlan plan, Properties kafkaProperties, String clientIdPrefix) {
    if (plan.isEmpty()) {
      throw new IllegalArgumentException("Cannot read an empty offset plan: " + plan);
    }
    Properties properties = new Properties();
    properties.putAll(kafkaProperties);
    properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return KafkaSource.<KafkaMessage>builder()
        .setProperties(properties)
        .setPartitions(new java.util.HashSet<TopicPartition>(plan.startOffsets().keySet()))
        .setStartingOffsets(
            OffsetsInitializer.offsets(plan.startOffsets(), OffsetResetStrategy.NONE))
        .setBounded(OffsetsInitializer.offsets(plan.stopOffsets()))
        .setDeserializer(new KafkaMessageDeserializer())
        .setClientIdPrefix(clientIdPrefix)
        .build();
  }
}
