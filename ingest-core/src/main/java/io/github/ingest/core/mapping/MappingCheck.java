package io.github.ingest.core.mapping;

import io.github.ingest.core.batch.BatchMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
 * the record's topic {@code test}, partition 0, offset 0 and timestamp 0 ({@code CreateTime});
 * {@link #withBatch} sets others. A {@link Message} gives a record's key, headers and metadata:
 *
 * <pre>{@code
 * Map<String, Object> row =
 *     check.row(
 *         MappingCheck.message("{\"id\":\"s1\"}")
 *             .withKey("{\"tenant\":\"eu\"}")
 *             .withHeader("trace-id", "t-1")
 *             .at("sessions", 3, 1187));
 * }</pre>
 *
 * <p>A row's values have the Java types {@link ColumnType} lists, as the job writes them: {@code
 * string} a {@link String}, {@code long} a {@link Long}, {@code decimal(p,s)} a {@link
 * java.math.BigDecimal} of scale s, {@code timestamptz(6)} an {@link java.time.Instant} and {@code
 * timestamp(6)} a {@link java.time.LocalDateTime} (in UTC), both cut to the column's precision,
 * {@code date} a {@link java.time.LocalDate}, {@code json} the JSON text, a struct an {@code
 * Object[]} of its fields, a list a {@link List}, a map a {@link Map}; a NULL is {@code null}.
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
    return row(record(value, key));
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
    return rejection(record(value, null));
  }

  /** The row {@code message} maps to, by column name. */
  public Map<String, Object> row(Message message) {
    Object[] values;
    try {
      values = mapper.map(message);
    } catch (RecordRejectedException e) {
      throw new AssertionError("Expected a row, but the message was rejected: " + e.getMessage());
    }
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      row.put(mapping.columns().get(i).name(), values[i]);
    }
    return row;
  }

  /** Why {@code message} is rejected. */
  public RecordRejectedException rejection(Message message) {
    try {
      Object[] row = mapper.map(message);
      throw new AssertionError(
          "Expected a rejection, but the message maps to " + java.util.Arrays.toString(row));
    } catch (RecordRejectedException e) {
      return e;
    }
  }

  /** A message whose value is {@code json} (null for a tombstone), to add a key, headers, place. */
  public static Message message(String json) {
    return record(json == null ? null : json.getBytes(StandardCharsets.UTF_8), null);
  }

  /** A record at offset 0 of partition 0 of topic {@code test}, timestamp 0, no headers. */
  private static Message record(byte[] value, byte[] key) {
    Message.Draft draft = new Message.Draft();
    draft.key = key;
    return new Message(draft, value);
  }

  /** A record to check a mapping with: immutable, each {@code with} method a new one. */
  public static final class Message extends BasicSourceRecord {

    private Message(Draft draft, byte[] value) {
      super(
          draft.topic,
          draft.partition,
          draft.offset,
          draft.timestamp,
          draft.timestampType,
          draft.key,
          value,
          draft.names,
          draft.values);
    }

    /** This message with the key {@code text} in UTF-8, e.g. a JSON key. */
    public Message withKey(String text) {
      return withKey(text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    public Message withKey(byte[] bytes) {
      return copy(draft -> draft.key = bytes);
    }

    /** This message with one more header, {@code text} in UTF-8. */
    public Message withHeader(String name, String text) {
      return withHeader(name, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    /** This message with one more header that has no value (a Kafka header whose value is null). */
    public Message withHeader(String name) {
      return withHeader(name, (byte[]) null);
    }

    /**
     * This message with one more header of these bytes, or of no value if {@code bytes} is null.
     */
    public Message withHeader(String name, byte[] bytes) {
      return copy(
          draft -> {
            draft.names = Arrays.copyOf(draft.names, draft.names.length + 1);
            draft.values = Arrays.copyOf(draft.values, draft.values.length + 1);
            draft.names[draft.names.length - 1] = name;
            draft.values[draft.values.length - 1] = bytes;
          });
    }

    /** This message at {@code offset} of {@code partition} of {@code topic}. */
    public Message at(String newTopic, int newPartition, long newOffset) {
      return copy(
          draft -> {
            draft.topic = newTopic;
            draft.partition = newPartition;
            draft.offset = newOffset;
          });
    }

    /**
     * This message with its Kafka timestamp, in milliseconds since the epoch, and how it was set:
     * {@code CreateTime} or {@code LogAppendTime}, what the metadata {@code source-timestamp} and
     * {@code source-timestamp-type} read.
     */
    public Message withTimestamp(long epochMillis, String type) {
      return copy(
          draft -> {
            draft.timestamp = epochMillis;
            draft.timestampType = type;
          });
    }

    /** A new message: this one's fields, as {@code change} leaves them. */
    private Message copy(Consumer<Draft> change) {
      Draft draft = new Draft(this);
      change.accept(draft);
      return new Message(draft, value());
    }

    /** The fields of a message being made, but its value: at first those of {@link #record}. */
    private static final class Draft {
      String topic = "test";
      int partition;
      long offset;
      long timestamp;
      String timestampType = "CreateTime";
      byte[] key;
      String[] names = new String[0];
      byte[][] values = new byte[0][];

      Draft() {}

      Draft(Message message) {
        topic = message.topic();
        partition = message.partition();
        offset = message.offset();
        timestamp = message.timestamp();
        timestampType = message.timestampType();
        key = message.key();
        names = new String[message.headerCount()];
        values = new byte[message.headerCount()][];
        for (int i = 0; i < names.length; i++) {
          names[i] = message.headerName(i);
          values[i] = message.headerValue(i);
        }
      }
    }
  }
}
