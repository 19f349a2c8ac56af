package io.github.ingest.core.mapping;

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
}
