package io.github.ingest.core.mapping;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A record as read from the source: its value bytes and its place there. */
public interface SourceRecord {

  /** The record's value; null for a record without one (a Kafka tombstone). */
  byte[] value();

  /** The record's key; null if it has none. */
  byte[] key();

  String topic();

  int partition();

  long offset();

  /** The record's timestamp in milliseconds since the epoch. */
  long timestamp();

  /**
   * How the source set the timestamp, as Kafka names it: {@code CreateTime} (the producer's),
   * {@code LogAppendTime} (the broker's) or {@code NoTimestampType}.
   */
  default String timestampType() {
    return "CreateTime";
  }

  /**
   * The record's headers in order, each a name and its value bytes (null for none); a name may
   * repeat.
   */
  default List<Map.Entry<String, byte[]>> headers() {
    return Collections.emptyList();
  }
}
