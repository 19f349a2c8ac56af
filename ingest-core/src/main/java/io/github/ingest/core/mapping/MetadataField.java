package io.github.ingest.core.mapping;

import java.util.Locale;

/**
 * Values a column can take from the run or from the record's place in the source. The batch-level
 * ones are the same for every row of a batch; the record-level ones come from the source record.
 */
public enum MetadataField {
  /** The batch's log file name, {@code yyyy-MM-dd_HH-mm-ss.log} of its start in UTC. */
  LOG_FILE_NAME(false),
  /** The batch's start in UTC with microseconds, {@code 2023-01-30T23:59:59.123456}. */
  BATCH_TIMESTAMP(false),
  /** The batch number, 1 for the first batch of a source. */
  BATCH_NUMBER(false),
  /** The source endpoint as configured, e.g. Kafka bootstrap servers. */
  SOURCE_ENDPOINT(false),
  /** The client id the source was read with. */
  SOURCE_CLIENT_ID(false),
  /** The configured source name. */
  SOURCE_NAME(false),
  /** The record's partition. */
  SOURCE_PARTITION(true),
  /** The record's offset in its partition. */
  SOURCE_OFFSET(true),
  /** The record's timestamp in the source, milliseconds since the epoch. */
  SOURCE_TIMESTAMP(true),
  /** The record's key: UTF-8 text in a string column, the bytes in a binary one. */
  SOURCE_KEY(true),
  /** The record's topic. */
  SOURCE_TOPIC(true),
  /** How the record's timestamp was set: {@code CreateTime} or {@code LogAppendTime}. */
  SOURCE_TIMESTAMP_TYPE(true),
  /** The record's whole value: UTF-8 text in a string column, the bytes in a binary one. */
  SOURCE_VALUE(true),
  /** The record's headers: a {@code map<string,string>} or {@code map<string,binary>}. */
  SOURCE_HEADERS(true);

  private final boolean perRecord;

  MetadataField(boolean perRecord) {
    this.perRecord = perRecord;
  }

  /** Whether the value differs from record to record. */
  public boolean perRecord() {
    return perRecord;
  }

  /** The name used in mapping files, e.g. {@code batch-number}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The field with the given {@link #id()}. */
  public static MetadataField fromId(String id) {
    for (MetadataField field : values()) {
      if (field.id().equals(id)) {
        return field;
      }
    }
    throw new IllegalArgumentException("Invalid metadata field: " + id);
  }
}
