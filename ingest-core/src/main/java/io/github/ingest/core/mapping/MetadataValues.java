package io.github.ingest.core.mapping;

import io.github.ingest.core.batch.BatchMetadata;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Metadata values in the Java type of the column they fill. */
final class MetadataValues {

  private MetadataValues() {}

  /** Whether a column of {@code type} can hold {@code field}. */
  static boolean supports(MetadataField field, ColumnType type) {
    switch (field) {
      case BATCH_NUMBER:
      case SOURCE_PARTITION:
      case SOURCE_OFFSET:
        return type.kind() == ColumnType.Kind.STRING
            || type.kind() == ColumnType.Kind.LONG
            || type.kind() == ColumnType.Kind.INT && field != MetadataField.SOURCE_OFFSET;
      case BATCH_TIMESTAMP:
      case SOURCE_TIMESTAMP:
        return type.kind() == ColumnType.Kind.STRING
            || type.kind() == ColumnType.Kind.TIMESTAMP
            || type.kind() == ColumnType.Kind.TIMESTAMP_TZ
            || type.kind() == ColumnType.Kind.LONG && field == MetadataField.SOURCE_TIMESTAMP;
      case SOURCE_KEY:
      case SOURCE_VALUE:
        return type.kind() == ColumnType.Kind.STRING || type.kind() == ColumnType.Kind.BINARY;
      case SOURCE_HEADERS:
        return type.kind() == ColumnType.Kind.MAP
            && (type.element().kind() == ColumnType.Kind.STRING
                || type.element().kind() == ColumnType.Kind.BINARY);
      default:
        return type.kind() == ColumnType.Kind.STRING;
    }
  }

  /** Whether a column of {@code type} can hold a header's value. */
  static boolean supportsHeader(ColumnType type) {
    return type.kind() == ColumnType.Kind.STRING || type.kind() == ColumnType.Kind.BINARY;
  }

  /**
   * The value of the header {@code name} of {@code headers} (the last one if it repeats) as a
   * column of {@code type}.
   */
  static Object header(List<Map.Entry<String, byte[]>> headers, String name, Column column) {
    byte[] value = null;
    for (Map.Entry<String, byte[]> header : headers) {
      if (header.getKey().equals(name)) {
        value = header.getValue();
      }
    }
    return bytes(value, column.type(), column, name, null);
  }

  static Object batchValue(MetadataField field, BatchMetadata batch, Column column) {
    switch (field) {
      case LOG_FILE_NAME:
        return batch.logFileName();
      case BATCH_TIMESTAMP:
        return column.type().kind() == ColumnType.Kind.STRING
            ? batch.batchTimestamp()
            : time(
                batch.start().getEpochSecond() * 1_000_000L + batch.start().getNano() / 1000,
                column.type());
      case BATCH_NUMBER:
        return number(batch.number(), column.type());
      case SOURCE_ENDPOINT:
        return batch.sourceEndpoint();
      case SOURCE_CLIENT_ID:
        return batch.clientId();
      case SOURCE_NAME:
        return batch.sourceName();
      default:
        throw new IllegalArgumentException("Not a batch metadata field: " + field);
    }
  }

  static Object recordValue(MetadataField field, SourceRecord record, Column column) {
    switch (field) {
      case SOURCE_PARTITION:
        return number(record.partition(), column.type());
      case SOURCE_OFFSET:
        return number(record.offset(), column.type());
      case SOURCE_TIMESTAMP:
        return column.type().kind() == ColumnType.Kind.STRING
                || column.type().kind() == ColumnType.Kind.LONG
            ? number(record.timestamp(), column.type())
            : time(record.timestamp() * 1000L, column.type());
      case SOURCE_KEY:
        return bytes(record.key(), column.type(), column, null, field);
      case SOURCE_VALUE:
        return bytes(record.value(), column.type(), column, null, field);
      case SOURCE_TOPIC:
        return record.topic();
      case SOURCE_TIMESTAMP_TYPE:
        return record.timestampType();
      case SOURCE_HEADERS:
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> header : record.headers()) {
          headers.put(
              header.getKey(),
              bytes(header.getValue(), column.type().element(), column, header.getKey(), null));
        }
        return headers;
      default:
        throw new IllegalArgumentException("Not a record metadata field: " + field);
    }
  }

  /**
   * Bytes as a column of {@code type} holds them: the bytes, or their UTF-8 text; bytes that are
   * not UTF-8 reject the record, naming the {@code header} or metadata {@code field} they came
   * from, never a changed text.
   */
  private static Object bytes(
      byte[] value, ColumnType type, Column column, String header, MetadataField field) {
    if (value == null || type.kind() == ColumnType.Kind.BINARY) {
      return value;
    }
    String text = Utf8.decode(value, 0, value.length);
    if (text == null) {
      throw new RecordRejectedException(
          RecordRejectedException.Kind.INVALID_VALUE,
          header != null ? "header:" + header : field.id(),
          column.name(),
          "Cannot read "
              + (header != null
                  ? "header " + header
                  : field == MetadataField.SOURCE_KEY ? "the record's key" : "the record's value")
              + " as text for column "
              + column.name()
              + ": its bytes are not valid UTF-8 ("
              + Utf8.firstInvalid(value, 0, value.length)
              + ")");
    }
    return text;
  }

  static LocalDateTime localDateTime(long epochMicros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(epochMicros, 1_000_000L),
        (int) Math.floorMod(epochMicros, 1_000_000L) * 1000,
        ZoneOffset.UTC);
  }

  static Instant instant(long epochMicros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1000);
  }

  private static Object number(long value, ColumnType type) {
    switch (type.kind()) {
      case STRING:
        return Long.toString(value);
      case INT:
        return Math.toIntExact(value);
      default:
        return value;
    }
  }

  private static Object time(long epochMicros, ColumnType type) {
    long unit = ScalarParsers.UNITS[type.precision()];
    long truncated = Math.floorDiv(epochMicros, unit) * unit;
    return type.kind() == ColumnType.Kind.TIMESTAMP ? localDateTime(truncated) : instant(truncated);
  }
}
