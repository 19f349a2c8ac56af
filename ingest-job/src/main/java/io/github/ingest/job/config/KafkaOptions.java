package io.github.ingest.job.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The {@code kafka.*} settings, and the batch size in offsets: which source a run reads, where a
 * new one starts, and what it accepts of a changed topic.
 */
public final class KafkaOptions {

  /** Keys under this prefix are Kafka client properties, passed through. */
  public static final String PROPERTIES_PREFIX = "kafka.properties.";

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription("Kafka bootstrap servers, e.g. broker-1:9092,broker-2:9092. Required.");

  public static final ConfigOption<String> TOPIC =
      ConfigOptions.key("kafka.topic")
          .stringType()
          .noDefaultValue()
          .withDescription("The Kafka topic to ingest. Required.");

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("kafka.group-id")
          .stringType()
          .defaultValue("ingest")
          .withDescription(
              "Consumer group of the source; with the Kafka cluster (by its id, however the"
                  + " brokers are spelled) and the topic it identifies the source whose batches"
                  + " are counted.");

  public static final ConfigOption<String> CLIENT_ID =
      ConfigOptions.key("kafka.client-id")
          .stringType()
          .defaultValue("ingest")
          .withDescription(
              "Kafka client id (prefix) of the job's consumers; recorded in"
                  + " flink_log_source_client_id.");

  public static final ConfigOption<String> SOURCE_NAME =
      ConfigOptions.key("source.name")
          .stringType()
          .noDefaultValue()
          .withDescription("Source name recorded in flink_log_source_name; default the topic.");

  public static final ConfigOption<Duration> KAFKA_TIMEOUT =
      ConfigOptions.key("kafka.timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "How long the job waits for the Kafka brokers before giving up: when planning, and"
                  + " while reading, for the next record of a range not read to its end.");

  public static final ConfigOption<String> STARTING_OFFSETS =
      ConfigOptions.key("kafka.starting-offsets")
          .stringType()
          .defaultValue("earliest")
          .withDescription(
              "Where a source with no batch in the table starts on partitions the consumer group"
                  + " has no offsets for: earliest, latest, or timestamp:<ISO-8601 instant or"
                  + " epoch millis>.");

  /** What a run does about offsets that retention deleted before any batch read them. */
  public enum LostOffsets {
    FAIL,
    SKIP;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final ConfigOption<LostOffsets> ON_LOST_OFFSETS =
      ConfigOptions.key("kafka.on-lost-offsets")
          .enumType(LostOffsets.class)
          .defaultValue(LostOffsets.FAIL)
          .withDescription(
              "When retention deleted records that no batch has read: fail (the run stops and"
                  + " says which offsets), or skip (they are logged and recorded in the snapshot"
                  + " summary as ingest.offsets.lost-from).");

  public static final ConfigOption<String> ACCEPT_TOPIC_ID =
      ConfigOptions.key("kafka.accept-topic-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The id of a topic that was deleted and created again, to read from its earliest"
                  + " offsets under the same source; batch numbers go on. A run that finds a"
                  + " recreated topic stops with exit code 2 and prints the id.");

  public static final ConfigOption<Boolean> COMMIT_GROUP_OFFSETS =
      ConfigOptions.key("kafka.commit-group-offsets")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "After a batch is committed to the table, commit its stop offsets to the consumer"
                  + " group so lag monitors see progress; a failure there is only a warning.");

  public static final ConfigOption<Long> MAX_OFFSETS_PER_PARTITION =
      ConfigOptions.key("batch.max-offsets-per-partition")
          .longType()
          .defaultValue(0L)
          .withDescription(
              "At most this many offsets of each partition per run, so a large backlog is caught"
                  + " up in several batches; 0 for no limit.");

  private KafkaOptions() {}
}
