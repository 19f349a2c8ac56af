package io.github.ingest.core.internal;

import io.github.ingest.core.mapping.ColumnType;
import java.util.Locale;

/**
 * The columns of a dead-letter table, in their order: the one declaration that the rows (built in
 * {@code ingest-kafka}) and the table's schema (in {@code ingest-iceberg}) both follow.
 */
public enum DeadLetterColumn {
  FLINK_LOG_BATCH_NUMBER(ColumnType.string(), true),
  FLINK_LOG_FILE_NAME(ColumnType.string(), true),
  FLINK_LOG_BATCH_TIMESTAMP(ColumnType.string(), true),
  SOURCE_ENDPOINT(ColumnType.string(), true),
  SOURCE_GROUP(ColumnType.string(), true),
  KAFKA_TOPIC(ColumnType.string(), true),
  KAFKA_PARTITION(ColumnType.integer(), true),
  KAFKA_OFFSET(ColumnType.bigint(), true),
  KAFKA_TIMESTAMP(ColumnType.timestampTz(6), true),
  KAFKA_KEY(ColumnType.binary(), false),
  KAFKA_VALUE(ColumnType.binary(), false),
  KAFKA_VALUE_TEXT(ColumnType.string(), false),
  ERROR_KIND(ColumnType.string(), true),
  ERROR_FIELD(ColumnType.string(), false),
  ERROR_MESSAGE(ColumnType.string(), true);

  private final ColumnType type;
  private final boolean required;

  DeadLetterColumn(ColumnType type, boolean required) {
    this.type = type;
    this.required = required;
  }

  /** The column's name in the table, e.g. {@code kafka_offset}. */
  public String columnName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public ColumnType type() {
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
