package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@link Mapping} from a JSON mapping file:
 *
 * <pre>{@code
 * {
 *   "name": "player_sessions",
 *   "table": "lake.player_sessions",
 *   "columns": [
 *     {"name": "batch_number", "type": "string", "metadata": "batch-number"},
 *     {"name": "session_id", "type": "string", "field": "id", "required": true},
 *     {"name": "os", "type": "string", "field": "device.os"},
 *     {"name": "started_at", "type": "timestamptz(3)", "field": "startedAt", "required": true}
 *   ],
 *   "partitioning": ["day(started_at)"],
 *   "properties": {"write.target-file-size-bytes": "134217728"}
 * }
 * }</pre>
 *
 * <p>A column has a {@code name}, a {@code type} (see {@link ColumnType#parse}), one source: {@code
 * field} (a dotted path into the JSON value, or an array of names for names with dots), {@code
 * key-field} (the same into a JSON key), {@code header} (a header's name) or {@code metadata} (see
 * {@link MetadataField#id()}), and {@code required} (default false). A timestamp column may have a
 * {@code format} ({@code iso}, the default, {@code epoch-millis}, {@code epoch-seconds}) and a
 * {@code zone} for ISO values without offset ({@code Europe/Berlin}). Unknown keys are errors, so a
 * typo does not silently change a table.
 */
public final class MappingFiles {

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final Set<String> MAPPING_KEYS =
      new TreeSet<>(Arrays.asList("name", "table", "columns", "partitioning", "properties"));
  private static final Set<String> COLUMN_KEYS =
      new TreeSet<>(
          Arrays.asList(
              "name",
              "type",
              "field",
              "key-field",
              "header",
              "metadata",
              "required",
              "format",
              "zone"));

  private MappingFiles() {}

  /**
   * The mapping in {@code file}.
   *
   * @throws IllegalArgumentException naming the file, the column and the problem
   */
  public static Mapping read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read mapping file " + file + ": " + e, e);
    }
  }

  /**
   * The mapping in {@code in}; {@code origin} names it in messages.
   *
   * @throws IllegalArgumentException naming the origin, the column and the problem
   */
  public static Mapping read(InputStream in, String origin) {
    Object document;
    try (JsonParser parser = JSON.createParser(in)) {
      parser.nextToken();
      document = value(parser);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          "Invalid mapping file "
              + origin
              + ": "
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read mapping file " + origin, e);
    }
    try {
      return mapping(object(document, "the file"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid mapping file " + origin + ": " + e.getMessage(), e);
    }
  }

  private static Mapping mapping(Map<String, Object> root) {
    checkKeys(root, MAPPING_KEYS, "the mapping");
    Mapping.Builder builder = Mapping.builder(string(root, "name", "the mapping", true));
    builder.table(string(root, "table", "the mapping", false));
    Object columns = root.get("columns");
    if (!(columns instanceof List)) {
      throw new IllegalArgumentException("the mapping has no list of columns");
    }
    int index = 0;
    for (Object entry : (List<?>) columns) {
      index++;
      builder.column(column(object(entry, "column " + index), index));
    }
    Object partitioning = root.get("partitioning");
    if (partitioning != null) {
      if (!(partitioning instanceof List)) {
        throw new IllegalArgumentException("partitioning is not a list of partition fields");
      }
      for (Object field : (List<?>) partitioning) {
        if (!(field instanceof String)) {
          throw new IllegalArgumentException("partition field " + field + " is not a string");
        }
        builder.partitionBy(PartitionField.parse((String) field));
      }
    }
    Object properties = root.get("properties");
    if (properties != null) {
      object(properties, "properties")
          .forEach(
              (key, value) -> {
                if (!(value instanceof String)) {
                  throw new IllegalArgumentException(
                      "table property " + key + " is not a string: " + value);
                }
                builder.property(key, (String) value);
              });
    }
    return builder.build();
  }

  /** A dotted path, or a list of names for names with dots. */
  private static String[] path(Object path, String where, String key) {
    if (path instanceof String) {
      return ((String) path).split("\\.", -1);
    }
    if (path instanceof List) {
      return ((List<?>) path).stream().map(String::valueOf).toArray(String[]::new);
    }
    throw new IllegalArgumentException(
        where + ": " + key + " is neither a path nor a list of names");
  }

  private static Column column(Map<String, Object> entry, int index) {
    String name = string(entry, "name", "column " + index, true);
    String where = "column " + name;
    checkKeys(entry, COLUMN_KEYS, where);
    ColumnType type;
    try {
      type = ColumnType.parse(string(entry, "type", where, true));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    Object field = entry.get("field");
    Object keyField = entry.get("key-field");
    String header = string(entry, "header", where, false);
    String metadata = string(entry, "metadata", where, false);
    int sources =
        (field == null ? 0 : 1)
            + (keyField == null ? 0 : 1)
            + (header == null ? 0 : 1)
            + (metadata == null ? 0 : 1);
    if (sources != 1) {
      throw new IllegalArgumentException(
          where + " needs exactly one of field, key-field, header and metadata");
    }
    ColumnSource source;
    if (metadata != null) {
      try {
        source = ColumnSource.metadata(MetadataField.fromId(metadata));
      } catch (IllegalArgumentException e) {
        List<String> ids = new ArrayList<>();
        for (MetadataField known : MetadataField.values()) {
          ids.add(known.id());
        }
        throw new IllegalArgumentException(
            where + ": unknown metadata " + metadata + " (expected one of " + ids + ")", e);
      }
    } else if (header != null) {
      source = ColumnSource.header(header);
    } else if (keyField != null) {
      source = ColumnSource.keyField(path(keyField, where, "key-field"));
    } else {
      source = ColumnSource.field(path(field, where, "field"));
    }
    Object required = entry.get("required");
    if (required != null && !(required instanceof Boolean)) {
      throw new IllegalArgumentException(where + ": required is not true or false");
    }
    try {
      Column column =
          Boolean.TRUE.equals(required)
              ? Column.required(name, type, source)
              : Column.optional(name, type, source);
      String format = string(entry, "format", where, false);
      if (format != null) {
        column = column.withFormat(Column.TimestampFormat.fromId(format));
      }
      String zone = string(entry, "zone", where, false);
      if (zone != null) {
        column = column.withZone(zone);
      }
      return column;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private static void checkKeys(Map<String, Object> object, Set<String> known, String where) {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException(
            where + " has an unknown key " + key + " (expected " + known + ")");
      }
    }
  }

  private static String string(
      Map<String, Object> object, String key, String where, boolean required) {
    Object value = object.get(key);
    if (value == null) {
      if (required) {
        throw new IllegalArgumentException(where + " has no " + key);
      }
      return null;
    }
    if (!(value instanceof String)) {
      throw new IllegalArgumentException(where + ": " + key + " is not a string: " + value);
    }
    return (String) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(what + " is not a JSON object");
    }
    return (Map<String, Object>) value;
  }

  /** The JSON value at the parser's current token, as maps, lists, strings, numbers, booleans. */
  private static Object value(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new JsonParseException(parser, "empty file");
    }
    switch (token) {
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          parser.nextToken();
          object.put(key, value(parser));
        }
        return object;
      case START_ARRAY:
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(parser));
        }
        return array;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return parser.getDecimalValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonParseException(parser, "unexpected " + token);
    }
  }
}
