package io.github.ingest.core.internal;

import java.util.Locale;

/**
 * The columns of a dead-letter table, in their order: the one declaration that the rows (built in
 * {@code ingest-kafka}) and the table's schema (in {@code ingest-iceberg}) both follow.
 */
public enum DeadLetterColumn {
  FLINK_LOG_BATCH_NUMBER(Type.STRING, true),
  FLINK_LOG_FILE_NAME(Type.STRING, true),
  FLINK_LOG_BATCH_TIMESTAMP(Type.STRING, true),
  SOURCE_ENDPOINT(Type.STRING, true),
  SOURCE_GROUP(Type.STRING, true),
  KAFKA_TOPIC(Type.STRING, true),
  KAFKA_PARTITION(Type.INT, true),
  KAFKA_OFFSET(Type.LONG, true),
  KAFKA_TIMESTAMP(Type.TIMESTAMP_TZ, true),
  KAFKA_KEY(Type.BINARY, false),
  KAFKA_VALUE(Type.BINARY, false),
  KAFKA_VALUE_TEXT(Type.STRING, false),
  ERROR_KIND(Type.STRING, true),
  ERROR_FIELD(Type.STRING, false),
  ERROR_MESSAGE(Type.STRING, true);

  /** The kinds of value a dead-letter column holds. */
  public enum Type {
    STRING,
    INT,
    LONG,
    TIMESTAMP_TZ,
    BINARY
  }

  private final Type type;
  private final boolean required;

  DeadLetterColumn(Type type, boolean required) {
    this.type = type;
    this.required = required;
  }

  /** The column's name in the table, e.g. {@code kafka_offset}. */
  public String columnName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Type type() {
    return type;
  }

  public boolean required() {
    return required;
  }

  /** The column's position in a row. */
  public int position() {
    return ordinal();
  }
}
