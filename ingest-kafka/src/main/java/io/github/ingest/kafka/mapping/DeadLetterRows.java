package io.github.ingest.kafka.mapping;

import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.mapping.RecordRejectedException;
import io.github.ingest.kafka.source.KafkaMessage;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Dead-letter rows: a rejected Kafka record with its coordinates, raw bytes, batch and reason, in
 * the column order of the dead-letter table:
 *
 * <ol start="0">
 *   <li>{@code flink_log_batch_number}, {@code flink_log_file_name}, {@code
 *       flink_log_batch_timestamp}: strings
 *   <li>{@code source_endpoint}, {@code source_group}: strings
 *   <li>{@code kafka_topic} string, {@code kafka_partition} int, {@code kafka_offset} long, {@code
 *       kafka_timestamp} timestamp with time zone
 *   <li>{@code kafka_key}, {@code kafka_value}: binary, null if absent
 *   <li>{@code kafka_value_text}: the value as text where it is valid UTF-8, else null
 *   <li>{@code error_kind}, {@code error_field} (null if the whole record), {@code error_message}
 * </ol>
 */
public final class DeadLetterRows implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Columns of a dead-letter row. */
  public static final int ARITY = 15;

  private final String batchNumber;
  private final String logFileName;
  private final String batchTimestamp;
  private final String endpoint;
  private final String group;

  public DeadLetterRows(BatchMetadata batch, String group) {
    this.batchNumber = Long.toString(batch.number());
    this.logFileName = batch.logFileName();
    this.batchTimestamp = batch.batchTimestamp();
    this.endpoint = batch.sourceEndpoint();
    this.group = group;
  }

  /** The dead-letter row of {@code message}, rejected for {@code reason}. */
  public RowData row(KafkaMessage message, RecordRejectedException reason) {
    GenericRowData row = new GenericRowData(ARITY);
    row.setField(0, StringData.fromString(batchNumber));
    row.setField(1, StringData.fromString(logFileName));
    row.setField(2, StringData.fromString(batchTimestamp));
    row.setField(3, StringData.fromString(endpoint));
    row.setField(4, StringData.fromString(group));
    row.setField(5, StringData.fromString(message.topic()));
    row.setField(6, message.partition());
    row.setField(7, message.offset());
    row.setField(8, TimestampData.fromEpochMillis(message.timestamp()));
    row.setField(9, message.key());
    row.setField(10, message.value());
    row.setField(11, text(message.value()));
    row.setField(12, StringData.fromString(reason.kind().name()));
    row.setField(13, reason.field() == null ? null : StringData.fromString(reason.field()));
    row.setField(14, StringData.fromString(reason.getMessage()));
    return row;
  }

  private static StringData text(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      return StringData.fromString(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString());
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
