package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

  /** Duplicate keys are found by {@link Seen}, among the keys read: cheaper than Jackson's set. */
  private static final JsonFactory JSON = new JsonFactory();

  /** Marks a list element or map value in a nested place's name, until it is known. */
  private static final String ELEMENT = "\u0000";

  /** Field names of key fields start with this, e.g. {@code key:tenant}. */
  static final String KEY_FIELD = "key:";

  /** Numeric text longer than this fits no supported type; refusing it bounds parsing work. */
  private static final int MAX_NUMERIC_TEXT = 100;

  private static final int MAX_VALUE_IN_MESSAGE = 100;

  private static final BigInteger TEN_TO_THE_18 = BigInteger.TEN.pow(18);

  /** Microseconds in one unit of a timestamp's precision, indexed by precision. */
  static final long[] UNITS = {1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L};

  private final Column[] columns;
  private final ValueReader[] readers;
  private final String[] fieldNames;
  private final Object[] template;
  private final int[] requiredFields;
  private final int[] requiredKeyFields;
  private final int[] recordMetadata;
  private final int[] headers;
  private final Node root = new Node();
  private final Node keyRoot = new Node();

  RecordMapper(Mapping mapping, BatchMetadata batch) {
    List<Column> list = mapping.columns();
    this.columns = list.toArray(new Column[0]);
    this.readers = new ValueReader[columns.length];
    this.fieldNames = new String[columns.length];
    this.template = new Object[columns.length];
    List<Integer> required = new ArrayList<>();
    List<Integer> requiredInKey = new ArrayList<>();
    List<Integer> perRecord = new ArrayList<>();
    List<Integer> fromHeaders = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      Column column = columns[i];
      ColumnSource source = column.source();
      if (source.isField() || source.isKeyField()) {
        String path = ColumnSource.render(source.path());
        fieldNames[i] = source.isKeyField() ? KEY_FIELD + path : path;
        ZoneId zone = column.zone() == null ? null : ZoneId.of(column.zone());
        (source.isKeyField() ? keyRoot : root)
            .add(source.path(), 0, i, source.isKeyField() ? KEY_FIELD : "");
        readers[i] =
            reader(new Site(i, fieldNames[i], column.type(), column.name(), column.format(), zone));
        if (column.required()) {
          (source.isKeyField() ? requiredInKey : required).add(i);
        }
      } else if (source.header() != null) {
        fromHeaders.add(i);
      } else if (source.metadata().perRecord()) {
        perRecord.add(i);
      } else {
        template[i] = MetadataValues.batchValue(source.metadata(), batch, column);
      }
    }
    this.requiredFields = required.stream().mapToInt(Integer::intValue).toArray();
    this.requiredKeyFields = requiredInKey.stream().mapToInt(Integer::intValue).toArray();
    this.recordMetadata = perRecord.stream().mapToInt(Integer::intValue).toArray();
    this.headers = fromHeaders.stream().mapToInt(Integer::intValue).toArray();
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
      throw reject(Kind.NO_VALUE, -1, "Cannot map a record without a value (a tombstone) to a row");
    }
    Object[] row = Arrays.copyOf(template, template.length);
    if (!root.children.isEmpty()) {
      if (value.length == 0) {
        throw reject(
            Kind.EMPTY_VALUE,
            -1,
            "Cannot map the value: it is empty (zero bytes), not a JSON object");
      }
      parse(value, root, row, "the value");
      for (int i : requiredFields) {
        if (row[i] == null) {
          throw missing(i);
        }
      }
    }
    fromRecord(record, row);
    return row;
  }

  /**
   * The row of a tombstone, a record without a value: the batch's and the record's metadata, its
   * key and headers, every column from the value NULL.
   *
   * @throws RecordRejectedException if a column from the value is required, or the key does not map
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
    Object[] row = Arrays.copyOf(template, template.length);
    fromRecord(record, row);
    return row;
  }

  /** Fills in what comes from the record but not its value: key fields, headers, metadata. */
  private void fromRecord(SourceRecord record, Object[] row) {
    if (!keyRoot.children.isEmpty() && record.key() != null) {
      parse(record.key(), keyRoot, row, "the key");
    }
    for (int i : requiredKeyFields) {
      if (row[i] == null) {
        throw missing(i);
      }
    }
    if (headers.length > 0) {
      List<Map.Entry<String, byte[]>> recordHeaders = record.headers();
      for (int i : headers) {
        row[i] = MetadataValues.header(recordHeaders, columns[i].source().header(), columns[i]);
      }
    }
    for (int i : recordMetadata) {
      row[i] = MetadataValues.recordValue(columns[i].source().metadata(), record, columns[i]);
    }
  }

  /**
   * Reads the JSON object {@code input}, the record's value or key as {@code what} says, into the
   * columns of {@code node}'s tree.
   */
  private void parse(byte[] input, Node node, Object[] row, String what) {
    try (JsonParser parser = JSON.createParser(input)) {
      JsonToken token = parser.nextToken();
      if (token != JsonToken.START_OBJECT) {
        throw reject(
            Kind.NOT_AN_OBJECT,
            -1,
            "Cannot map "
                + what
                + ": it is "
                + (token == null ? "empty" : describe(token))
                + ", not a JSON object");
      }
      readObject(parser, node, row, input);
      if (parser.nextToken() != null) {
        throw reject(
            Kind.INVALID_JSON,
            -1,
            "Cannot parse "
                + what
                + " as JSON: more follows its object, at byte "
                + parser.currentTokenLocation().getByteOffset());
      }
    } catch (JsonProcessingException e) {
      throw reject(
          Kind.INVALID_JSON,
          -1,
          "Cannot parse "
              + what
              + " as JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : ", at byte " + e.getLocation().getByteOffset()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RecordRejectedException missing(int column) {
    return reject(
        Kind.MISSING_FIELD,
        column,
        "Missing required field "
            + fieldNames[column]
            + " for column "
            + columns[column].name()
            + ": absent or null");
  }

  private void readObject(JsonParser parser, Node node, Object[] row, byte[] input)
      throws IOException {
    Seen seen = new Seen(node.children.size());
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      Node child = node.children.get(parser.currentName());
      if (child != null && seen.repeats(child.index)) {
        throw duplicate(child.path, columns[child.firstColumn()].name());
      }
      JsonToken token = parser.nextToken();
      if (child == null) {
        parser.skipChildren();
      } else if (child.children.isEmpty()) {
        for (int column : child.columns) {
          row[column] = convert(parser, token, column, input);
        }
      } else if (token == JsonToken.START_OBJECT) {
        readObject(parser, child, row, input);
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
                + ColumnSource.render(columns[column].source().path().subList(0, child.depth))
                + " is "
                + describe(token)
                + ", not an object");
      }
    }
  }

  private Object convert(JsonParser parser, JsonToken token, int column, byte[] input)
      throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    return readers[column].read(parser, token, input);
  }

  /** Reads a JSON value, its first token given, as a value of one place of a column. */
  @FunctionalInterface
  private interface ValueReader {
    Object read(JsonParser parser, JsonToken token, byte[] input) throws IOException;
  }

  /**
   * A place values are read to: a column, or a field or element nested in one. {@code field} names
   * it in messages; a nested list's elements and a map's values have {@link #ELEMENT} in it, which
   * their container replaces with the index or key of a rejected one.
   */
  private static final class Site {
    final int column;
    final String field;
    final ColumnType type;
    final String columnName;
    final Column.TimestampFormat format;
    final ZoneId zone;

    Site(
        int column,
        String field,
        ColumnType type,
        String columnName,
        Column.TimestampFormat format,
        ZoneId zone) {
      this.column = column;
      this.field = field;
      this.type = type;
      this.columnName = columnName;
      this.format = format;
      this.zone = zone;
    }

    Site nested(String suffix, ColumnType nestedType) {
      return new Site(column, field + suffix, nestedType, columnName, format, zone);
    }
  }

  /**
   * The reader of a place of {@code site}'s type, chosen once when the mapper is built: the one
   * place a new type of field column is added.
   */
  private ValueReader reader(Site site) {
    ColumnType type = site.type;
    switch (type.kind()) {
      case STRING:
        return scalar(site, (parser, token, input) -> parser.getText());
      case INT:
        return scalar(
            site,
            (parser, token, input) ->
                (int) integral(parser, token, site, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case LONG:
        return scalar(
            site,
            (parser, token, input) ->
                integral(parser, token, site, Long.MIN_VALUE, Long.MAX_VALUE));
      case DECIMAL:
        return scalar(site, (parser, token, input) -> decimal(parser, token, site));
      case BOOLEAN:
        return scalar(site, (parser, token, input) -> bool(parser, token, site));
      case DOUBLE:
        return scalar(site, (parser, token, input) -> float64(parser, token, site));
      case DATE:
        return scalar(site, (parser, token, input) -> date(parser, token, site));
      case TIMESTAMP:
        return scalar(
            site,
            (parser, token, input) -> MetadataValues.localDateTime(micros(parser, token, site)));
      case TIMESTAMP_TZ:
        return scalar(
            site, (parser, token, input) -> MetadataValues.instant(micros(parser, token, site)));
      case JSON:
        return (parser, token, input) -> jsonText(parser, token, input, site);
      case STRUCT:
        return struct(site);
      case LIST:
        return list(site);
      case MAP:
        return map(site);
      default:
        throw new IllegalArgumentException("Unsupported type of a field column: " + type);
    }
  }

  /** A reader of scalars, which rejects an object or an array. */
  private ValueReader scalar(Site site, ValueReader read) {
    return (parser, token, input) -> {
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        throw invalid(site, describe(token), null);
      }
      return read.read(parser, token, input);
    };
  }

  /** The exact text of the JSON value at the parser, as it is in {@code input}. */
  private static String jsonText(JsonParser parser, JsonToken token, byte[] input, Site site)
      throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      parser.skipChildren();
    } else {
      parser.finishToken();
    }
    int end = (int) parser.currentLocation().getByteOffset();
    String text = Utf8.decode(input, start, end - start);
    if (text == null) {
      throw reject(
          Kind.INVALID_JSON,
          site,
          "Cannot read field "
              + site.field
              + " for column "
              + site.columnName
              + ": its bytes are not valid UTF-8 ("
              + Utf8.firstInvalid(input, start, end - start)
              + ")");
    }
    return text;
  }

  /** A struct from a JSON object: its fields by name, others ignored, required ones present. */
  private ValueReader struct(Site site) {
    List<ColumnType.Field> fields = site.type.fields();
    Map<String, Integer> positions = new HashMap<>();
    ValueReader[] fieldReaders = new ValueReader[fields.size()];
    Site[] fieldSites = new Site[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      ColumnType.Field field = fields.get(i);
      positions.put(field.name(), i);
      fieldSites[i] = site.nested(ColumnSource.step(field.name(), false), field.type());
      fieldReaders[i] = reader(fieldSites[i]);
    }
    return (parser, token, input) -> {
      if (token != JsonToken.START_OBJECT) {
        throw invalid(site, render(parser, token), "not an object");
      }
      Object[] values = new Object[fieldReaders.length];
      Seen seen = new Seen(fieldReaders.length);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        Integer position = positions.get(parser.currentName());
        if (position != null && seen.repeats(position)) {
          throw duplicate(fieldSites[position].field, site.columnName);
        }
        JsonToken value = parser.nextToken();
        if (position == null) {
          parser.skipChildren();
        } else if (value != JsonToken.VALUE_NULL) {
          values[position] = fieldReaders[position].read(parser, value, input);
        }
      }
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null && fields.get(i).required()) {
          throw reject(
              Kind.MISSING_FIELD,
              fieldSites[i],
              "Missing required field "
                  + fieldSites[i].field
                  + " for column "
                  + site.columnName
                  + ": absent or null");
        }
      }
      return values;
    };
  }

  /** A list from a JSON array: each element read as the element type, or null. */
  private ValueReader list(Site site) {
    ValueReader element = reader(site.nested(ELEMENT, site.type.element()));
    return (parser, token, input) -> {
      if (token != JsonToken.START_ARRAY) {
        throw invalid(site, render(parser, token), "not an array");
      }
      List<Object> values = new ArrayList<>();
      JsonToken next;
      while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
        try {
          values.add(next == JsonToken.VALUE_NULL ? null : element.read(parser, next, input));
        } catch (RecordRejectedException e) {
          throw at(e, "[" + values.size() + "]");
        }
      }
      return values;
    };
  }

  /** A map from a JSON object with free keys: each value read as the value type, or null. */
  private ValueReader map(Site site) {
    ValueReader element = reader(site.nested(ELEMENT, site.type.element()));
    return (parser, token, input) -> {
      if (token != JsonToken.START_OBJECT) {
        throw invalid(site, render(parser, token), "not an object");
      }
      Map<String, Object> values = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        if (values.containsKey(key)) {
          throw duplicate(site.field + ColumnSource.step(key, false), site.columnName);
        }
        JsonToken next = parser.nextToken();
        try {
          values.put(key, next == JsonToken.VALUE_NULL ? null : element.read(parser, next, input));
        } catch (RecordRejectedException e) {
          throw at(e, ColumnSource.step(key, false));
        }
      }
      return values;
    };
  }

  /** {@code e} of a list element or map value, with the last {@link #ELEMENT} as {@code where}. */
  private static RecordRejectedException at(RecordRejectedException e, String where) {
    return new RecordRejectedException(
        e.kind(), replaceLast(e.field(), where), e.column(), replaceLast(e.getMessage(), where));
  }

  private static String replaceLast(String text, String where) {
    int at = text.lastIndexOf(ELEMENT);
    return at < 0 ? text : text.substring(0, at) + where + text.substring(at + ELEMENT.length());
  }

  private long integral(JsonParser parser, JsonToken token, Site site, long min, long max)
      throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType numberType = parser.getNumberType();
      if (numberType == JsonParser.NumberType.INT
          || numberType == JsonParser.NumberType.LONG && max == Long.MAX_VALUE) {
        return parser.getLongValue();
      }
      throw invalid(site, parser.getText(), "out of range");
    }
    if (token == JsonToken.VALUE_STRING && parser.getTextLength() <= 18) {
      String text = parser.getText();
      if (isInteger(text)) {
        long value = Long.parseLong(text);
        if (value >= min && value <= max) {
          return value;
        }
      }
    }
    BigDecimal value = number(parser, token, site).stripTrailingZeros();
    if (value.scale() > 0) {
      throw invalid(site, render(parser, token), "not an integer");
    }
    if (value.precision() - value.scale() > 19) {
      throw invalid(site, render(parser, token), "out of range");
    }
    try {
      long result = value.longValueExact();
      if (result >= min && result <= max) {
        return result;
      }
    } catch (ArithmeticException e) {
      // out of range below
    }
    throw invalid(site, render(parser, token), "out of range");
  }

  private BigDecimal decimal(JsonParser parser, JsonToken token, Site site) throws IOException {
    ColumnType type = site.type;
    if (token == JsonToken.VALUE_NUMBER_INT
        || token == JsonToken.VALUE_NUMBER_FLOAT
        || token == JsonToken.VALUE_STRING) {
      BigDecimal plain =
          plainDecimal(
              parser.getTextCharacters(),
              parser.getTextOffset(),
              parser.getTextLength(),
              type.precision(),
              type.scale());
      if (plain != null) {
        return plain;
      }
    }
    BigDecimal value = number(parser, token, site);
    int maxIntegerDigits = type.precision() - type.scale();
    int scale = value.scale();
    if (scale >= 0 && scale <= type.scale() && value.precision() - scale <= maxIntegerDigits) {
      // the common case, and no trailing zeros to strip: precision and scale count them alike
      return scale == type.scale() ? value : value.setScale(type.scale());
    }
    BigDecimal stripped = value.stripTrailingZeros();
    int fractionDigits = Math.max(stripped.scale(), 0);
    if (fractionDigits > type.scale()) {
      throw invalid(site, render(parser, token), "more than " + type.scale() + " fraction digits");
    }
    int integerDigits = stripped.signum() == 0 ? 0 : stripped.precision() - stripped.scale();
    if (integerDigits > maxIntegerDigits) {
      throw invalid(
          site, render(parser, token), "more than " + maxIntegerDigits + " integer digits");
    }
    return stripped.setScale(type.scale());
  }

  /**
   * The value of {@code -?[0-9]+(\.[0-9]+)?} text at {@code scale}, if it fits {@code precision}
   * and {@code scale} and has at most 36 digits there; else null, and the general path decides. It
   * reads the digits into two longs instead of parsing a {@link BigDecimal} and rescaling it, which
   * costs a third of mapping a message of four decimal(29,17) fields.
   */
  static BigDecimal plainDecimal(char[] text, int offset, int length, int precision, int scale) {
    int end = offset + length;
    int at = offset;
    boolean negative = at < end && text[at] == '-';
    if (negative) {
      at++;
    }
    int integerStart = at;
    while (at < end && text[at] == '0') {
      at++;
    }
    int significantStart = at;
    while (at < end && text[at] >= '0' && text[at] <= '9') {
      at++;
    }
    int integerDigits = at - significantStart;
    if (at == integerStart || integerDigits > precision - scale) {
      return null;
    }
    int fractionStart = at;
    int fractionEnd = at;
    if (at < end) {
      if (text[at] != '.') {
        return null;
      }
      fractionStart = ++at;
      while (at < end && text[at] >= '0' && text[at] <= '9') {
        at++;
      }
      if (at < end || at == fractionStart) {
        return null;
      }
      fractionEnd = at;
      while (fractionEnd > fractionStart && text[fractionEnd - 1] == '0') {
        fractionEnd--;
      }
      if (fractionEnd - fractionStart > scale) {
        return null;
      }
    }
    int digits = integerDigits + scale;
    if (digits > 36) {
      return null;
    }
    // the unscaled value's digits: the integer's, the fraction's, then zeros up to the scale
    long high = 0;
    long low = 0;
    int highDigits = Math.max(0, digits - 18);
    for (int i = 0; i < digits; i++) {
      int digit;
      if (i < integerDigits) {
        digit = text[significantStart + i] - '0';
      } else {
        int fraction = fractionStart + i - integerDigits;
        digit = fraction < fractionEnd ? text[fraction] - '0' : 0;
      }
      if (i < highDigits) {
        high = high * 10 + digit;
      } else {
        low = low * 10 + digit;
      }
    }
    if (highDigits == 0) {
      return BigDecimal.valueOf(negative ? -low : low, scale);
    }
    BigInteger unscaled =
        BigInteger.valueOf(high).multiply(TEN_TO_THE_18).add(BigInteger.valueOf(low));
    return new BigDecimal(negative ? unscaled.negate() : unscaled, scale);
  }

  /** A JSON number, or a string holding one, as an exact decimal: never through a double. */
  private BigDecimal number(JsonParser parser, JsonToken token, Site site) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDecimalValue();
    }
    if (token != JsonToken.VALUE_STRING) {
      throw invalid(site, render(parser, token), null);
    }
    String text = parser.getText();
    if (text.length() > MAX_NUMERIC_TEXT) {
      throw invalid(site, render(parser, token), "too long for a number");
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw invalid(site, render(parser, token), null);
    }
  }

  private Boolean bool(JsonParser parser, JsonToken token, Site site) throws IOException {
    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
      return token == JsonToken.VALUE_TRUE;
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = parser.getText();
      if ("true".equals(text) || "false".equals(text)) {
        return Boolean.valueOf(text);
      }
    }
    throw invalid(site, render(parser, token), null);
  }

  private Double float64(JsonParser parser, JsonToken token, Site site) throws IOException {
    double value;
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      value = parser.getDoubleValue();
    } else if (token == JsonToken.VALUE_STRING
        && parser.getTextLength() <= MAX_NUMERIC_TEXT
        && !parser.getText().isEmpty()) {
      try {
        value = Double.parseDouble(parser.getText());
      } catch (NumberFormatException e) {
        throw invalid(site, render(parser, token), null);
      }
    } else {
      throw invalid(site, render(parser, token), null);
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw invalid(site, render(parser, token), "not a finite number");
    }
    return value;
  }

  private LocalDate date(JsonParser parser, JsonToken token, Site site) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      try {
        return LocalDate.parse(parser.getText());
      } catch (DateTimeException e) {
        throw invalid(site, render(parser, token), "not an ISO-8601 date");
      }
    }
    throw invalid(site, render(parser, token), null);
  }

  private long micros(JsonParser parser, JsonToken token, Site site) throws IOException {
    ColumnType type = site.type;
    Column.TimestampFormat format = site.format;
    long epochMicros;
    if (format != Column.TimestampFormat.ISO) {
      long count = epochCount(parser, token, site);
      long perUnit = format == Column.TimestampFormat.EPOCH_MILLIS ? 1_000L : 1_000_000L;
      try {
        epochMicros = Math.multiplyExact(count, perUnit);
      } catch (ArithmeticException e) {
        throw invalid(site, render(parser, token), "out of range");
      }
    } else {
      if (token != JsonToken.VALUE_STRING) {
        throw invalid(site, render(parser, token), null);
      }
      try {
        epochMicros = Timestamps.parseEpochMicros(parser.getText(), site.zone);
      } catch (IllegalArgumentException | DateTimeException e) {
        throw invalid(site, render(parser, token), e.getMessage());
      }
    }
    long unit = UNITS[type.precision()];
    return Math.floorDiv(epochMicros, unit) * unit;
  }

  /** An integral count of epoch units: a JSON integer or an integral string. */
  private long epochCount(JsonParser parser, JsonToken token, Site site) throws IOException {
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
      throw invalid(site, render(parser, token), "out of range");
    }
    throw invalid(site, render(parser, token), "expected an integral " + site.format.id());
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

  private RecordRejectedException invalid(Site site, String value, String detail) {
    return reject(
        Kind.INVALID_VALUE,
        site,
        "Cannot convert field "
            + site.field
            + " to "
            + site.type
            + " for column "
            + site.columnName
            + ": "
            + value
            + (detail == null ? "" : " (" + detail + ")"));
  }

  private static RecordRejectedException reject(Kind kind, Site site, String message) {
    return new RecordRejectedException(kind, site.field, site.columnName, message);
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
    if (!token.isScalarValue()) {
      return describe(token);
    }
    String text = parser.getText();
    return text.length() <= MAX_VALUE_IN_MESSAGE
        ? text
        : text.substring(0, MAX_VALUE_IN_MESSAGE) + "... (" + text.length() + " characters)";
  }

  /** {@code text} as a JSON string literal, cut to a readable length. */
  static String quote(String text) {
    return quote(text, MAX_VALUE_IN_MESSAGE);
  }

  /** {@code text} as a JSON string literal, cut after {@code max} characters. */
  static String quote(String text, int max) {
    StringBuilder quoted = new StringBuilder(Math.min(text.length(), max) + 8);
    quoted.append('"');
    for (int i = 0; i < text.length() && i < max; i++) {
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
    if (text.length() > max) {
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

  /**
   * The keys of one JSON object that were read so far, by their index among the keys the mapping
   * reads there: a key read twice is ambiguous, and rejects the record ({@link
   * Kind#DUPLICATE_KEY}). Keys the mapping does not read may repeat.
   */
  private static final class Seen {
    private long first64;
    private final boolean[] more;

    Seen(int keys) {
      this.more = keys > 64 ? new boolean[keys] : null;
    }

    /** Records the key at {@code index}; whether it was seen before. */
    boolean repeats(int index) {
      if (more != null) {
        boolean seen = more[index];
        more[index] = true;
        return seen;
      }
      long bit = 1L << index;
      boolean seen = (first64 & bit) != 0;
      first64 |= bit;
      return seen;
    }
  }

  /**
   * The rejection of a key read twice at {@code path} (a list element's or map value's place still
   * marked, for its container to fill in).
   */
  private static RecordRejectedException duplicate(String path, String columnName) {
    return new RecordRejectedException(
        Kind.DUPLICATE_KEY,
        path,
        columnName,
        "Cannot map field "
            + path
            + " for column "
            + columnName
            + ": its key appears twice in one JSON object, so its value is ambiguous");
  }

  /** A trie of the field paths the mapping reads. */
  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    int[] columns = new int[0];
    int depth;
    int index;

    /** The node's path as rejections name it ({@code key:} first in the key's tree). */
    String path;

    void add(List<String> path, int index, int column, String prefix) {
      if (index == path.size()) {
        columns = Arrays.copyOf(columns, columns.length + 1);
        columns[columns.length - 1] = column;
        return;
      }
      Node child =
          children.computeIfAbsent(
              path.get(index),
              name -> {
                Node created = new Node();
                created.index = children.size();
                return created;
              });
      child.depth = index + 1;
      child.path = prefix + ColumnSource.render(path.subList(0, index + 1));
      child.add(path, index + 1, column, prefix);
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
