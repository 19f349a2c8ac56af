package io.github.ingest.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.ingest.core.internal.Preconditions;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every {@code ingest.*} key a batch writes into a table, and the one codec of its values: a {@link
 * BatchState} to and from a snapshot summary, and a summary to and from the JSON of the source's
 * state property ({@code ingest.state.<source key>}). Other releases read these values byte for
 * byte; {@code docs/batches.md} describes them.
 */
public final class StateCodec {

  /** Prefix of every summary key and table property the job writes. */
  public static final String PREFIX = "ingest.";

  /** Prefix of the table property that holds a source's state; the source key follows. */
  public static final String STATE_PROPERTY_PREFIX = PREFIX + "state.";

  /** Table property: the format of the batch state ({@code 3} for this release). */
  public static final String FORMAT_VERSION = PREFIX + "format-version";

  /** Table property: which release wrote the format. */
  public static final String WRITTEN_BY = PREFIX + "written-by";

  /** Summary key of a target batch snapshot: the dead-letter table's name. */
  public static final String DEAD_LETTER_TABLE = PREFIX + "dead-letters.table";

  /** Summary key of a target batch snapshot: the dead-letter table's UUID. */
  public static final String DEAD_LETTER_TABLE_UUID = PREFIX + "dead-letters.table-uuid";

  /** Summary key of a target batch snapshot: the encoded manifest of its dead-letter files. */
  public static final String DEAD_LETTER_MANIFEST = PREFIX + "dead-letters.manifest";

  /** Summary key of a dead-letter snapshot that removed the dead letters of rolled-back batches. */
  public static final String ROLLED_BACK_AFTER = PREFIX + "rolled-back-after";

  static final String SOURCE = PREFIX + "source";
  static final String SOURCE_ID = PREFIX + "source.id";
  static final String NUMBER = PREFIX + "batch.number";
  static final String TIMESTAMP = PREFIX + "batch.timestamp";
  static final String LOG_FILE_NAME = PREFIX + "batch.log-file-name";
  static final String RUN_ID = PREFIX + "batch.run-id";
  static final String START_OFFSETS = PREFIX + "offsets.start";
  static final String STOP_OFFSETS = PREFIX + "offsets.stop";
  static final String LOST_FROM = PREFIX + "offsets.lost-from";
  static final String READ = PREFIX + "records.read";
  static final String WRITTEN = PREFIX + "records.written";
  static final String REJECTED = PREFIX + "records.rejected";
  static final String TOMBSTONES = PREFIX + "records.tombstones";
  static final String DUPLICATES = PREFIX + "records.duplicates";
  static final String TOPIC_ID = PREFIX + "kafka.topic-id";
  static final String ORIGIN = PREFIX + "offsets.origin";

  private static final JsonFactory JSON = new JsonFactory();

  private StateCodec() {}

  /** The table property that holds the state of {@code source}. */
  public static String propertyKey(String source) {
    return STATE_PROPERTY_PREFIX + source;
  }

  /** The summary properties that record {@code state}, in the order the table records them. */
  public static Map<String, String> toSummary(BatchState state) {
    Map<String, String> summary = new LinkedHashMap<>();
    if (state.serverKey().isEmpty()) {
      summary.put(SOURCE, state.source());
    } else {
      // the first release looks batches up by servers under ingest.source
      summary.put(SOURCE, state.serverKey());
      summary.put(SOURCE_ID, state.source());
    }
    summary.put(NUMBER, Long.toString(state.number()));
    summary.put(TIMESTAMP, state.batchTimestamp());
    summary.put(LOG_FILE_NAME, state.logFileName());
    summary.put(RUN_ID, state.runId());
    summary.put(START_OFFSETS, formatOffsets(state.startOffsets()));
    summary.put(STOP_OFFSETS, formatOffsets(state.stopOffsets()));
    if (!state.lostFrom().isEmpty()) {
      summary.put(LOST_FROM, formatOffsets(state.lostFrom()));
    }
    summary.put(READ, Long.toString(state.read()));
    summary.put(WRITTEN, Long.toString(state.written()));
    summary.put(REJECTED, Long.toString(state.rejected()));
    if (state.tombstones() > 0) {
      summary.put(TOMBSTONES, Long.toString(state.tombstones()));
    }
    if (state.duplicates() > 0) {
      summary.put(DUPLICATES, Long.toString(state.duplicates()));
    }
    if (!state.topicId().isEmpty()) {
      summary.put(TOPIC_ID, state.topicId());
    }
    if (!state.origin().isEmpty()) {
      summary.put(ORIGIN, formatOffsets(state.origin()));
    }
    return summary;
  }

  /**
   * Reads a state from a snapshot summary or a state property's values; keys it does not know are
   * passed over.
   *
   * @throws IllegalArgumentException if the summary holds no valid batch state
   */
  public static BatchState fromSummary(Map<String, String> summary) {
    String recorded = summary.get(SOURCE);
    Preconditions.checkArgument(recorded != null, "Invalid batch state: no %s", SOURCE);
    String id = summary.get(SOURCE_ID);
    return BatchState.builder()
        .source(id != null ? id : recorded)
        .serverKey(id != null ? recorded : "")
        .number(parseLong(summary, NUMBER))
        .batchTimestamp(required(summary, TIMESTAMP))
        .logFileName(required(summary, LOG_FILE_NAME))
        .runId(summary.getOrDefault(RUN_ID, ""))
        .offsets(parseOffsets(summary, START_OFFSETS), parseOffsets(summary, STOP_OFFSETS))
        .lostFrom(summary.containsKey(LOST_FROM) ? parseOffsets(summary, LOST_FROM) : Map.of())
        .counts(
            parseLong(summary, WRITTEN),
            parseLong(summary, REJECTED),
            summary.containsKey(TOMBSTONES) ? parseLong(summary, TOMBSTONES) : 0,
            summary.containsKey(DUPLICATES) ? parseLong(summary, DUPLICATES) : 0)
        .topic(
            summary.getOrDefault(TOPIC_ID, ""),
            summary.containsKey(ORIGIN) ? parseOffsets(summary, ORIGIN) : Map.of())
        .recorded(parseLong(summary, READ))
        .build();
  }

  /**
   * Whether {@code summary} records a batch of {@code source}: one under the same key, or, for a
   * key that names the Kafka cluster by its id, one that an earlier release recorded under the
   * bootstrap servers it was given for the same topic and group.
   */
  public static boolean isBatchOf(String source, Map<String, String> summary) {
    String recorded = summary == null ? null : summary.get(SOURCE);
    return recorded != null && SourceKey.matches(source, recorded, summary.get(SOURCE_ID));
  }

  /** {@code summary} as the JSON object a state property holds. */
  public static String toJson(Map<String, String> summary) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.writeStartObject();
      for (Map.Entry<String, String> entry : summary.entrySet()) {
        json.writeStringField(entry.getKey(), entry.getValue());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** The summary properties a state property holds, in its order. */
  public static Map<String, String> fromJson(String text) {
    Map<String, String> summary = new LinkedHashMap<>();
    try (JsonParser json = JSON.createParser(text)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("Invalid batch state property: " + text);
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String key = json.getCurrentName();
        if (json.nextToken() != JsonToken.VALUE_STRING) {
          throw new IllegalArgumentException("Invalid batch state property: " + text);
        }
        summary.put(key, json.getText());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid batch state property: " + text, e);
    }
    return summary;
  }

  /** {@code 0:100,1:80}. */
  static String formatOffsets(Map<Integer, Long> offsets) {
    StringBuilder text = new StringBuilder();
    offsets.forEach(
        (partition, offset) -> {
          if (text.length() > 0) {
            text.append(',');
          }
          text.append(partition).append(':').append(offset);
        });
    return text.toString();
  }

  private static SortedMap<Integer, Long> parseOffsets(Map<String, String> summary, String key) {
    String text = required(summary, key);
    SortedMap<Integer, Long> offsets = new TreeMap<>();
    if (text.isEmpty()) {
      return offsets;
    }
    for (String entry : text.split(",", -1)) {
      int colon = entry.indexOf(':');
      Preconditions.checkArgument(colon > 0, "Invalid batch state: %s=%s", key, text);
      try {
        int partition = Integer.parseInt(entry.substring(0, colon));
        long offset = Long.parseLong(entry.substring(colon + 1));
        Preconditions.checkArgument(
            partition >= 0 && offset >= 0, "Invalid batch state: %s=%s", key, text);
        Preconditions.checkArgument(
            offsets.put(partition, offset) == null, "Invalid batch state: %s=%s", key, text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Invalid batch state: " + key + "=" + text, e);
      }
    }
    return offsets;
  }

  private static long parseLong(Map<String, String> summary, String key) {
    String text = required(summary, key);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid batch state: " + key + "=" + text, e);
    }
  }

  private static String required(Map<String, String> summary, String key) {
    String value = summary.get(key);
    Preconditions.checkArgument(value != null, "Invalid batch state: no %s", key);
    return value;
  }
}
