package io.github.ingest.job.config;

import io.github.ingest.kafka.source.PlanOptions;
import io.github.ingest.kafka.source.StartingPosition;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;

/** The resolved {@link KafkaOptions}: the source a run reads and how its batch is planned. */
public final class KafkaConf {

  private final Configuration options;
  private final Properties properties;

  KafkaConf(Configuration options, Properties properties) {
    this.options = options;
    this.properties = properties;
  }

  public String bootstrapServers() {
    return options.get(KafkaOptions.BOOTSTRAP_SERVERS);
  }

  public String topic() {
    return options.get(KafkaOptions.TOPIC);
  }

  public String groupId() {
    return options.get(KafkaOptions.GROUP_ID);
  }

  public String clientId() {
    return options.get(KafkaOptions.CLIENT_ID);
  }

  /** The source name the rows record: as set, else the topic. */
  public String sourceName() {
    return options.getOptional(KafkaOptions.SOURCE_NAME).orElse(topic());
  }

  /** How long a call to the brokers may take. */
  public Duration timeout() {
    return options.get(KafkaOptions.KAFKA_TIMEOUT);
  }

  /** Whether a committed batch's stop offsets are committed to the consumer group. */
  public boolean commitGroupOffsets() {
    return options.get(KafkaOptions.COMMIT_GROUP_OFFSETS);
  }

  /** How the next batch's offsets are planned. */
  public PlanOptions planOptions() {
    return PlanOptions.forGroup(groupId())
        .startingAt(StartingPosition.parse(options.get(KafkaOptions.STARTING_OFFSETS)))
        .skipLostOffsets(options.get(KafkaOptions.ON_LOST_OFFSETS) == KafkaOptions.LostOffsets.SKIP)
        .maxOffsetsPerPartition(options.get(KafkaOptions.MAX_OFFSETS_PER_PARTITION))
        .acceptTopicId(options.getOptional(KafkaOptions.ACCEPT_TOPIC_ID).orElse(""));
  }

  /** Kafka client properties: the {@code kafka.properties.*} settings, servers and group. */
  public Properties properties() {
    Properties all = new Properties();
    all.putAll(properties);
    all.setProperty("bootstrap.servers", bootstrapServers());
    all.setProperty("group.id", groupId());
    return all;
  }

  /** The {@code kafka.properties.*} settings as set, without the prefix. */
  Properties passedThrough() {
    return properties;
  }
}
