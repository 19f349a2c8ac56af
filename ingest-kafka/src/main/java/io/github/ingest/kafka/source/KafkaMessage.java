package io.github.ingest.kafka.source;

import io.github.ingest.core.mapping.BasicSourceRecord;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/** A Kafka record as read: its coordinates, timestamp, raw key and value bytes, and headers. */
@TypeInfo(KafkaMessageTypeInfoFactory.class)
public final class KafkaMessage extends BasicSourceRecord {

  /**
   * A message with its timestamp type ({@code CreateTime}, {@code LogAppendTime}) and headers,
   * {@code headerNames[i]} with {@code headerValues[i]}; the bytes are taken as they are.
   */
  KafkaMessage(
      String topic,
      int partition,
      long offset,
      long timestamp,
      byte[] key,
      byte[] value,
      String timestampType,
      String[] headerNames,
      byte[][] headerValues) {
    super(
        topic, partition, offset, timestamp, timestampType, key, value, headerNames, headerValues);
  }

  /** The bytes are taken as they are, not copied: they come fresh from the consumer. */
  public static KafkaMessage of(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    return new KafkaMessage(
        topic, partition, offset, timestamp, key, value, "CreateTime", NO_NAMES, NO_VALUES);
  }

  static final String[] NO_NAMES = new String[0];
  static final byte[][] NO_VALUES = new byte[0][];

  /** {@code topic balance_changes, partition 3, offset 1187}, for messages about the record. */
  public String location() {
    return "topic " + topic() + ", partition " + partition() + ", offset " + offset();
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
    if (partition() != that.partition()
        || offset() != that.offset()
        || timestamp() != that.timestamp()
        || !topic().equals(that.topic())
        || !Arrays.equals(key(), that.key())
        || !Arrays.equals(value(), that.value())
        || !timestampType().equals(that.timestampType())
        || headerCount() != that.headerCount()) {
      return false;
    }
    for (int i = 0; i < headerCount(); i++) {
      if (!headerName(i).equals(that.headerName(i))
          || !Arrays.equals(headerValue(i), that.headerValue(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic(), partition(), offset());
  }

  @Override
  public String toString() {
    return "KafkaMessage{" + location() + "}";
  }
}
