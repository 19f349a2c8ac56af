package io.github.ingest.core.mapping;

import io.github.ingest.core.batch.BatchMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Unit-tests a mapping in a few lines, with no Flink, Kafka or Iceberg: give it a message, get the
 * row by column name, or the rejection.
 *
 * <pre>{@code
 * MappingCheck check = MappingCheck.of(MappingFiles.read(Paths.get("sessions.json")));
 * assertEquals(42L, check.row("{\"id\":\"s1\",\"durationMs\":42}").get("duration_ms"));
 * assertEquals("id", check.rejection("{\"durationMs\":42}").field());
 * }</pre>
 *
 * <p>Metadata columns take the values of a fixed batch 1 started at 2026-01-01T00:00:00Z, with
 * source endpoint {@code broker:9092}, client id {@code ingest} and source name {@code test}, and
 * the record's partition 0, offset 0 and timestamp 0; {@link #withBatch} sets others.
 */
public final class MappingCheck {

  private static final BatchMetadata DEFAULT_BATCH =
      BatchMetadata.builder()
          .number(1)
          .start(Instant.parse("2026-01-01T00:00:00Z"))
          .sourceEndpoint("broker:9092")
          .clientId("ingest")
          .sourceName("test")
          .build();

  private final Mapping mapping;
  private final RecordMapper mapper;

  private MappingCheck(Mapping mapping, BatchMetadata batch) {
    this.mapping = mapping;
    this.mapper = mapping.mapper(batch);
  }

  public static MappingCheck of(Mapping mapping) {
    return new MappingCheck(mapping, DEFAULT_BATCH);
  }

  /** The same check with the metadata of {@code batch}. */
  public MappingCheck withBatch(BatchMetadata batch) {
    return new MappingCheck(mapping, batch);
  }

  /**
   * The row {@code json} maps to, by column name, with the Java types {@link ColumnType} documents.
   *
   * @throws AssertionError with the reason if the message is rejected
   */
  public Map<String, Object> row(String json) {
    return row(json.getBytes(StandardCharsets.UTF_8), null);
  }

  /**
   * The row the message with {@code value} and {@code key} (either may be null) maps to.
   *
   * @throws AssertionError with the reason if the message is rejected
   */
  public Map<String, Object> row(byte[] value, byte[] key) {
    Object[] values;
    try {
      values = mapper.map(record(value, key));
    } catch (RecordRejectedException e) {
      throw new AssertionError("Expected a row, but the message was rejected: " + e.getMessage());
    }
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      row.put(mapping.columns().get(i).name(), values[i]);
    }
    return row;
  }

  /**
   * Why {@code json} is rejected: {@link RecordRejectedException#kind()}, {@link
   * RecordRejectedException#field()} and the message.
   *
   * @throws AssertionError with the row if the message maps
   */
  public RecordRejectedException rejection(String json) {
    return rejection(json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  /** Why the message with {@code value} is rejected. */
  public RecordRejectedException rejection(byte[] value) {
    try {
      Object[] row = mapper.map(record(value, null));
      throw new AssertionError(
          "Expected a rejection, but the message maps to " + java.util.Arrays.toString(row));
    } catch (RecordRejectedException e) {
      return e;
    }
  }

  private static SourceRecord record(byte[] value, byte[] key) {
    return new SourceRecord() {
      @Override
      public byte[] value() {
        return value;
      }

      @Override
      public byte[] key() {
        return key;
      }

      @Override
      public String topic() {
        return "test";
      }

      @Override
      public int partition() {
        return 0;
      }

      @Override
      public long offset() {
        return 0;
      }

      @Override
      public long timestamp() {
        return 0;
      }
    };
  }
}
