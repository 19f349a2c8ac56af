package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the JSON value of a {@link SourceRecord} to a row of a {@link Mapping}'s columns, in one
 * streaming pass over the bytes. Safe for concurrent use.
 *
 * <pre>{@code
 * RecordMapper mapper = mapping.mapper(batch);
 * try {
 *   Object[] row = mapper.map(record);
 * } catch (RecordRejectedException e) {
 *   // e.kind(), e.field(), e.column(), e.getMessage()
 * }
 * }</pre>
 *
 * <p>Over 300 lines because it is the per-record hot path, kept in one class so that one call tree
 * is compiled and inlined as a whole.
 */
public final class RecordMapper {

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** Numeric text longer than this fits no supported type; refusing it bounds parsing work. */
  private static final int MAX_NUMERIC_TEXT = 100;

  private static final int MAX_VALUE_IN_MESSAGE = 100;

  /** Microseconds in one unit of a timestamp's precision, indexed by precision. */
  static final long[] UNITS = {1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L};

  private final Column[] columns;
  private final ValueReader[] readers;
  private final String[] fieldNames;
  private final ZoneId[] zones;
  private final Object[] template;
  private final int[] requiredFields;
  private final int[] recordMetadata;
  private final Node root = new Node();

  RecordMapper(Mapping mapping, BatchMetadata batch) {
    List<Column> list = mapping.columns();
    this.columns = list.toArray(new Column[0]);
    this.readers = new ValueReader[columns.length];
    this.fieldNames = new String[columns.length];
    this.zones = new ZoneId[columns.length];
    this.template = new Object[columns.length];
    List<Integer> required = new ArrayList<>();
    List<Integer> perRecord = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      ColumnSource source = columns[i].source();
      if (source.isField()) {
        fieldNames[i] = String.join(".", source.path());
        zones[i] = columns[i].zone() == null ? null : ZoneId.of(columns[i].zone());
        root.add(source.path(), 0, i);
        readers[i] = reader(columns[i].type());
        if (columns[i].required()) {
          required.add(i);
        }
      } else if (source.metadata().perRecord()) {
        perRecord.add(i);
      } else {
        template[i] = MetadataValues.batchValue(source.metadata(), batch, columns[i]);
      }
    }
    this.requiredFields = required.stream().mapToInt(Integer::intValue).toArray();
    this.recordMetadata = perRecord.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The row for {@code record}: one value per column, in column order, of the Java type {@link
   * ColumnType} documents, or null.
   *
   * @throws RecordRejectedException if the record cannot be mapped
   */
  public Object[] map(SourceRecord record) {
    byte[] value = record.value();
    if (value == null) {
      throw reject(Kind.NO_VALUE, -1, "Cannot map a record without a value (tombstone)");
    }
    if (value.length == 0) {
      throw reject(Kind.NO_VALUE, -1, "Cannot map an empty value");
    }
    Object[] row = template.clone();
    try (JsonParser parser = JSON.createParser(value)) {
      JsonToken token = parser.nextToken();
      if (token != JsonToken.START_OBJECT) {
        throw reject(
            Kind.NOT_AN_OBJECT,
            -1,
            "Cannot map a JSON " + describe(token) + ": expected an object");
      }
      readObject(parser, root, row);
      if (parser.nextToken() != null) {
        throw reject(
            Kind.INVALID_JSON,
            -1,
            "Cannot parse JSON: unexpected content after the object at byte "
                + parser.currentLocation().getByteOffset());
      }
    } catch (JsonProcessingException e) {
      throw reject(
          Kind.INVALID_JSON,
          -1,
          "Cannot parse JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i : requiredFields) {
      if (row[i] == null) {
        throw reject(
            Kind.MISSING_FIELD,
            i,
            "Missing required field "
                + fieldNames[i]
                + " for column "
                + columns[i].name()
                + ": absent or null");
      }
    }
    for (int i : recordMetadata) {
      row[i] = MetadataValues.recordValue(columns[i].source().metadata(), record, columns[i]);
    }
    return row;
  }

  /**
   * The row of a tombstone, a record without a value: the batch's and the record's metadata, every
   * column from the value NULL.
   *
   * @throws RecordRejectedException if a column from the value is required
   */
  public Object[] mapTombstone(SourceRecord record) {
    if (requiredFields.length > 0) {
      int column = requiredFields[0];
      throw reject(
          Kind.NO_VALUE,
          column,
          "Cannot map a tombstone (a record without a value) to a row: column "
              + columns[column].name()
              + " is required");
    }
    Object[] row = template.clone();
    for (int i : recordMetadata) {
      row[i] = MetadataValues.recordValue(columns[i].source().metadata(), record, columns[i]);
    }
    return row;
  }

  private void readObject(JsonParser parser, Node node, Object[] row) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      Node child = node.children.get(parser.currentName());
      JsonToken token = parser.nextToken();
      if (child == null) {
        parser.skipChildren();
      } else if (child.children.isEmpty()) {
        for (int column : child.columns) {
          row[column] = convert(parser, token, column);
        }
      } else if (token == JsonToken.START_OBJECT) {
        readObject(parser, child, row);
      } else if (token != JsonToken.VALUE_NULL) {
        int column = child.firstColumn();
        throw reject(
            Kind.INVALID_VALUE,
            column,
            "Cannot read field "
                + fieldNames[column]
                + " for column "
                + columns[column].name()
                + ": "
                + String.join(".", columns[column].source().path().subList(0, child.depth))
                + " is "
                + describe(token)
                + ", not an object");
      }
    }
  }

  private Object convert(JsonParser parser, JsonToken token, int column) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      throw invalid(column, describe(token), null);
    }
    return readers[column].read(parser, token, column);
  }

  /** Reads a JSON scalar as one column's value, or rejects it. */
  @FunctionalInterface
  private interface ValueReader {
    Object read(JsonParser parser, JsonToken token, int column) throws IOException;
  }

  /**
   * The reader of a column of {@code type}, chosen once per column: the one place a new type of
   * field column is added.
   */
  private ValueReader reader(ColumnType type) {
    switch (type.kind()) {
      case STRING:
        return (parser, token, column) -> parser.getText();
      case INT:
        return (parser, token, column) ->
            (int) integral(parser, token, column, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case LONG:
        return (parser, token, column) ->
            integral(parser, token, column, Long.MIN_VALUE, Long.MAX_VALUE);
      case DECIMAL:
        return (parser, token, column) -> decimal(parser, token, column, type);
      case BOOLEAN:
        return this::bool;
      case DOUBLE:
        return this::float64;
      case DATE:
        return this::date;
      case TIMESTAMP:
        return (parser, token, column) ->
            MetadataValues.localDateTime(micros(parser, token, column, type));
      case TIMESTAMP_TZ:
        return (parser, token, column) ->
            MetadataValues.instant(micros(parser, token, column, type));
      default:
        throw new IllegalArgumentException("Unsupported type of a field column: " + type);
    }
  }

  private long integral(JsonParser parser, JsonToken token, int column, long min, long max)
      throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType numberType = parser.getNumberType();
      if (numberType == JsonParser.NumberType.INT
          || numberType == JsonParser.NumberType.LONG && max == Long.MAX_VALUE) {
        return parser.getLongValue();
      }
      throw invalid(column, parser.getText(), "out of range");
    }
    BigDecimal value = number(parser, token, column).stripTrailingZeros();
    if (value.scale() > 0) {
      throw invalid(column, render(parser, token), "not an integer");
    }
    if (value.precision() - value.scale() > 19) {
      throw invalid(column, render(parser, token), "out of range");
    }
    try {
      long result = value.longValueExact();
      if (result >= min && result <= max) {
        return result;
      }
    } catch (ArithmeticException e) {
      // out of range below
    }
    throw invalid(column, render(parser, token), "out of range");
  }

  private BigDecimal decimal(JsonParser parser, JsonToken token, int column, ColumnType type)
      throws IOException {
    BigDecimal value = number(parser, token, column);
    int maxIntegerDigits = type.precision() - type.scale();
    int scale = value.scale();
    if (scale >= 0 && scale <= type.scale() && value.precision() - scale <= maxIntegerDigits) {
      // the common case, and no trailing zeros to strip: precision and scale count them alike
      return scale == type.scale() ? value : value.setScale(type.scale());
    }
    BigDecimal stripped = value.stripTrailingZeros();
    int fractionDigits = Math.max(stripped.scale(), 0);
    if (fractionDigits > type.scale()) {
      throw invalid(
          column, render(parser, token), "more than " + type.scale() + " fraction digits");
    }
    int integerDigits = stripped.signum() == 0 ? 0 : stripped.precision() - stripped.scale();
    if (integerDigits > maxIntegerDigits) {
      throw invalid(
          column, render(parser, token), "more than " + maxIntegerDigits + " integer digits");
    }
    return stripped.setScale(type.scale());
  }

  /** A JSON number, or a string holding one, as an exact decimal: never through a double. */
  private BigDecimal number(JsonParser parser, JsonToken token, int column) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDecimalValue();
    }
    if (token != JsonToken.VALUE_STRING) {
      throw invalid(column, render(parser, token), null);
    }
    String text = parser.getText();
    if (text.length() > MAX_NUMERIC_TEXT) {
      throw invalid(column, render(parser, token), "too long for a number");
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw invalid(column, render(parser, token), null);
    }
  }

  private Boolean bool(JsonParser parser, JsonToken token, int column) throws IOException {
    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
      return token == JsonToken.VALUE_TRUE;
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = parser.getText();
      if ("true".equals(text) || "false".equals(text)) {
        return Boolean.valueOf(text);
      }
    }
    throw invalid(column, render(parser, token), null);
  }

  private Double float64(JsonParser parser, JsonToken token, int column) throws IOException {
    double value;
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      value = parser.getDoubleValue();
    } else if (token == JsonToken.VALUE_STRING
        && parser.getTextLength() <= MAX_NUMERIC_TEXT
        && !parser.getText().isEmpty()) {
      try {
        value = Double.parseDouble(parser.getText());
      } catch (NumberFormatException e) {
        throw invalid(column, render(parser, token), null);
      }
    } else {
      throw invalid(column, render(parser, token), null);
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw invalid(column, render(parser, token), "not a finite number");
    }
    return value;
  }

  private LocalDate date(JsonParser parser, JsonToken token, int column) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      try {
        return LocalDate.parse(parser.getText());
      } catch (DateTimeException e) {
        throw invalid(column, render(parser, token), "not an ISO-8601 date");
      }
    }
    throw invalid(column, render(parser, token), null);
  }

  private long micros(JsonParser parser, JsonToken token, int column, ColumnType type)
      throws IOException {
    Column.TimestampFormat format = columns[column].format();
    long epochMicros;
    if (format != Column.TimestampFormat.ISO) {
      long count = epochCount(parser, token, column);
      long perUnit = format == Column.TimestampFormat.EPOCH_MILLIS ? 1_000L : 1_000_000L;
      try {
        epochMicros = Math.multiplyExact(count, perUnit);
      } catch (ArithmeticException e) {
        throw invalid(column, render(parser, token), "out of range");
      }
    } else {
      if (token != JsonToken.VALUE_STRING) {
        throw invalid(column, render(parser, token), null);
      }
      try {
        epochMicros = Timestamps.parseEpochMicros(parser.getText(), zones[column]);
      } catch (IllegalArgumentException | DateTimeException e) {
        throw invalid(column, render(parser, token), e.getMessage());
      }
    }
    long unit = UNITS[type.precision()];
    return Math.floorDiv(epochMicros, unit) * unit;
  }

  /** An integral count of epoch units: a JSON integer or an integral string. */
  private long epochCount(JsonParser parser, JsonToken token, int column) throws IOException {
    try {
      if (token == JsonToken.VALUE_NUMBER_INT) {
        return parser.getLongValue();
      }
      if (token == JsonToken.VALUE_STRING) {
        String text = parser.getText();
        if (isInteger(text)) {
          return Long.parseLong(text);
        }
      }
    } catch (com.fasterxml.jackson.core.exc.InputCoercionException | NumberFormatException e) {
      throw invalid(column, render(parser, token), "out of range");
    }
    throw invalid(
        column, render(parser, token), "expected an integral " + columns[column].format().id());
  }

  /** {@code -?[0-9]{1,19}}, without a regular expression on the per-record path. */
  private static boolean isInteger(String text) {
    int first = text.startsWith("-") ? 1 : 0;
    int digits = text.length() - first;
    if (digits < 1 || digits > 19) {
      return false;
    }
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private RecordRejectedException invalid(int column, String value, String detail) {
    return reject(
        Kind.INVALID_VALUE,
        column,
        "Cannot convert field "
            + fieldNames[column]
            + " to "
            + columns[column].type()
            + " for column "
            + columns[column].name()
            + ": "
            + value
            + (detail == null ? "" : " (" + detail + ")"));
  }

  private RecordRejectedException reject(Kind kind, int column, String message) {
    return column < 0
        ? new RecordRejectedException(kind, null, null, message)
        : new RecordRejectedException(kind, fieldNames[column], columns[column].name(), message);
  }

  private static String render(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return quote(parser.getText());
    }
    return token.isScalarValue() ? parser.getText() : describe(token);
  }

  /** {@code text} as a JSON string literal, cut to a readable length. */
  static String quote(String text) {
    StringBuilder quoted = new StringBuilder(Math.min(text.length(), MAX_VALUE_IN_MESSAGE) + 8);
    quoted.append('"');
    for (int i = 0; i < text.length() && i < MAX_VALUE_IN_MESSAGE; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    quoted.append('"');
    if (text.length() > MAX_VALUE_IN_MESSAGE) {
      quoted.append("... (").append(text.length()).append(" characters)");
    }
    return quoted.toString();
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.toString();
    }
  }

  /** A trie of the field paths the mapping reads. */
  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    int[] columns = new int[0];
    int depth;

    void add(List<String> path, int index, int column) {
      if (index == path.size()) {
        columns = Arrays.copyOf(columns, columns.length + 1);
        columns[columns.length - 1] = column;
        return;
      }
      Node child = children.computeIfAbsent(path.get(index), name -> new Node());
      child.depth = index + 1;
      child.add(path, index + 1, column);
    }

    int firstColumn() {
      Node node = this;
      while (node.columns.length == 0) {
        node = node.children.values().iterator().next();
      }
      return node.columns[0];
    }
  }
}
