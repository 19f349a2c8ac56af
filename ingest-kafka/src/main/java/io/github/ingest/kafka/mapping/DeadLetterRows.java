package io.github.ingest.kafka.mapping;

import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.DeadLetterColumn;
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
  public static final int ARITY = DeadLetterColumn.values().length;

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
    GenericRowData row =
        row(
            message.topic(),
            message.partition(),
            message.offset(),
            message.timestamp(),
            reason.kind().name(),
            reason.getMessage());
    set(row, DeadLetterColumn.KAFKA_KEY, message.key());
    set(row, DeadLetterColumn.KAFKA_VALUE, message.value());
    set(row, DeadLetterColumn.KAFKA_VALUE_TEXT, text(message.value()));
    set(
        row,
        DeadLetterColumn.ERROR_FIELD,
        reason.field() == null ? null : StringData.fromString(reason.field()));
    return row;
  }

  /**
   * The dead-letter row of the record at {@code partition} and {@code offset} of {@code topic},
   * left out as {@code kind} for {@code message}, without its key and value bytes.
   */
  public GenericRowData row(
      String topic, int partition, long offset, long timestamp, String kind, String message) {
    GenericRowData row = new GenericRowData(ARITY);
    set(row, DeadLetterColumn.FLINK_LOG_BATCH_NUMBER, StringData.fromString(batchNumber));
    set(row, DeadLetterColumn.FLINK_LOG_FILE_NAME, StringData.fromString(logFileName));
    set(row, DeadLetterColumn.FLINK_LOG_BATCH_TIMESTAMP, StringData.fromString(batchTimestamp));
    set(row, DeadLetterColumn.SOURCE_ENDPOINT, StringData.fromString(endpoint));
    set(row, DeadLetterColumn.SOURCE_GROUP, StringData.fromString(group));
    set(row, DeadLetterColumn.KAFKA_TOPIC, StringData.fromString(topic));
    set(row, DeadLetterColumn.KAFKA_PARTITION, partition);
    set(row, DeadLetterColumn.KAFKA_OFFSET, offset);
    set(row, DeadLetterColumn.KAFKA_TIMESTAMP, TimestampData.fromEpochMillis(timestamp));
    set(row, DeadLetterColumn.ERROR_KIND, StringData.fromString(kind));
    set(row, DeadLetterColumn.ERROR_MESSAGE, StringData.fromString(message));
    return row;
  }

  private static void set(GenericRowData row, DeadLetterColumn column, Object value) {
    row.setField(column.position(), value);
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
