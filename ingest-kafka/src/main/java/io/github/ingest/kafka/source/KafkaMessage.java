package io.github.ingest.kafka.source;

import io.github.ingest.core.mapping.SourceRecord;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A Kafka record as read: its coordinates, timestamp, and raw key and value bytes. */
@TypeInfo(KafkaMessageTypeInfoFactory.class)
public final class KafkaMessage implements SourceRecord {

  private final String topic;
  private final int partition;
  private final long offset;
  private final long timestamp;
  private final byte[] key;
  private final byte[] value;

  private KafkaMessage(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  /** The bytes are taken as they are, not copied: they come fresh from the consumer. */
  public static KafkaMessage of(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    return new KafkaMessage(topic, partition, offset, timestamp, key, value);
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public int partition() {
    return partition;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public long timestamp() {
    return timestamp;
  }

  @Override
  public byte[] key() {
    return key;
  }

  @Override
  public byte[] value() {
    return value;
  }

  /** {@code topic balance_changes, partition 3, offset 1187}, for messages about the record. */
  public String location() {
    return "topic " + topic + ", partition " + partition + ", offset " + offset;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof KafkaMessage)) {
      return false;
    }
    KafkaMessage that = (KafkaMessage) other;
    return partition == that.partition
        && offset == that.offset
        && timestamp == that.timestamp
        && topic.equals(that.topic)
        && Arrays.equals(key, that.key)
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  @Override
  public String toString() {
    return "KafkaMessage{" + location() + "}";
  }
}
