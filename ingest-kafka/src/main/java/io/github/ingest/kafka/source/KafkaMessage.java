package io.github.ingest.kafka.source;

import io.github.ingest.core.mapping.SourceRecord;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A Kafka record as read: its coordinates, timestamp, raw key and value bytes, and headers. */
@TypeInfo(KafkaMessageTypeInfoFactory.class)
public final class KafkaMessage implements SourceRecord {

  private final String topic;
  private final int partition;
  private final long offset;
  private final long timestamp;
  private final byte[] key;
  private final byte[] value;
  private final String timestampType;
  private final String[] headerNames;
  private final byte[][] headerValues;

  private KafkaMessage(
      String topic,
      int partition,
      long offset,
      long timestamp,
      byte[] key,
      byte[] value,
      String timestampType,
      String[] headerNames,
      byte[][] headerValues) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
    this.timestampType = timestampType;
    this.headerNames = headerNames;
    this.headerValues = headerValues;
  }

  /** The bytes are taken as they are, not copied: they come fresh from the consumer. */
  public static KafkaMessage of(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    return of(topic, partition, offset, timestamp, key, value, "CreateTime", NO_NAMES, NO_VALUES);
  }

  /**
   * A message with its timestamp type ({@code CreateTime}, {@code LogAppendTime}) and headers,
   * {@code headerNames[i]} with {@code headerValues[i]}.
   */
  public static KafkaMessage of(
      String topic,
      int partition,
      long offset,
      long timestamp,
      byte[] key,
      byte[] value,
      String timestampType,
      String[] headerNames,
      byte[][] headerValues) {
    if (headerNames.length != headerValues.length) {
      throw new IllegalArgumentException("Invalid headers: names and values differ in number");
    }
    return new KafkaMessage(
        topic, partition, offset, timestamp, key, value, timestampType, headerNames, headerValues);
  }

  static final String[] NO_NAMES = new String[0];
  static final byte[][] NO_VALUES = new byte[0][];

  @Override
  public String timestampType() {
    return timestampType;
  }

  @Override
  public List<Map.Entry<String, byte[]>> headers() {
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>(headerNames.length);
    for (int i = 0; i < headerNames.length; i++) {
      headers.add(new AbstractMap.SimpleImmutableEntry<>(headerNames[i], headerValues[i]));
    }
    return headers;
  }

  int headerCount() {
    return headerNames.length;
  }

  String headerName(int i) {
    return headerNames[i];
  }

  byte[] headerValue(int i) {
    return headerValues[i];
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
        && Arrays.equals(value, that.value)
        && timestampType.equals(that.timestampType)
        && Arrays.equals(headerNames, that.headerNames)
        && Arrays.deepEquals(headerValues, that.headerValues);
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
