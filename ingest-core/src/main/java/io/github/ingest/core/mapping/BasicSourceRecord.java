package io.github.ingest.core.mapping;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link SourceRecord} held in fields: its place, timestamp, key and value bytes, and headers as
 * parallel arrays of names and values. The bytes are taken as they are, not copied.
 */
public class BasicSourceRecord implements SourceRecord {

  private final String topic;
  private final int partition;
  private final long offset;
  private final long timestamp;
  private final String timestampType;
  private final byte[] key;
  private final byte[] value;
  private final String[] headerNames;
  private final byte[][] headerValues;

  /** A record with headers {@code headerNames[i]} of {@code headerValues[i]}. */
  protected BasicSourceRecord(
      String topic,
      int partition,
      long offset,
      long timestamp,
      String timestampType,
      byte[] key,
      byte[] value,
      String[] headerNames,
      byte[][] headerValues) {
    if (headerNames.length != headerValues.length) {
      throw new IllegalArgumentException("Invalid headers: names and values differ in number");
    }
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.timestampType = timestampType;
    this.key = key;
    this.value = value;
    this.headerNames = headerNames;
    this.headerValues = headerValues;
  }

  @Override
  public final String topic() {
    return topic;
  }

  @Override
  public final int partition() {
    return partition;
  }

  @Override
  public final long offset() {
    return offset;
  }

  @Override
  public final long timestamp() {
    return timestamp;
  }

  @Override
  public final String timestampType() {
    return timestampType;
  }

  @Override
  public final byte[] key() {
    return key;
  }

  @Override
  public final byte[] value() {
    return value;
  }

  @Override
  public final List<Map.Entry<String, byte[]>> headers() {
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>(headerNames.length);
    for (int i = 0; i < headerNames.length; i++) {
      headers.add(new AbstractMap.SimpleImmutableEntry<>(headerNames[i], headerValues[i]));
    }
    return headers;
  }

  public final int headerCount() {
    return headerNames.length;
  }

  public final String headerName(int i) {
    return headerNames[i];
  }

  /** The value of header {@code i}; null for a header without one. */
  public final byte[] headerValue(int i) {
    return headerValues[i];
  }
}
