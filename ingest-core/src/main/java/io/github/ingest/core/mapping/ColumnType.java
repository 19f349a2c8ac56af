package io.github.ingest.core.mapping;

import static io.github.ingest.core.internal.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The type of a target column, independent of any table format.
 *
 * <p>Values produced by a {@link RecordMapper} for a column have the Java type given by {@link
 * Kind}: {@code STRING} a {@link String}, {@code INT} an {@link Integer}, {@code LONG} a {@link
 * Long}, {@code BOOLEAN} a {@link Boolean}, {@code DOUBLE} a {@link Double}, {@code DECIMAL} a
 * {@link java.math.BigDecimal} with exactly the column's scale, {@code DATE} a {@link
 * java.time.LocalDate}, {@code TIMESTAMP} a {@link java.time.LocalDateTime} in UTC and {@code
 * TIMESTAMP_TZ} an {@link java.time.Instant}, both truncated to the column's precision; {@code
 * BINARY} a {@code byte[]}, {@code JSON} the {@link String} of a JSON value's exact text; {@code
 * STRUCT} an {@code Object[]} of its fields' values in their order, {@code LIST} a {@link List} and
 * {@code MAP} a {@link java.util.Map} with {@link String} keys, their values of the element type
 * (null where the JSON holds null).
 *
 * <pre>{@code
 * ColumnType amount = ColumnType.decimal(29, 17);
 * ColumnType same = ColumnType.parse("decimal(29,17)");
 * ColumnType device = ColumnType.parse("struct<os:string not null,version:int>");
 * ColumnType tags = ColumnType.parse("list<string>");
 * }</pre>
 *
 * <p>{@link TypeNames} reads and writes the names.
 */
public final class ColumnType implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The kinds of column types. */
  public enum Kind {
    STRING,
    INT,
    LONG,
    BOOLEAN,
    DOUBLE,
    DECIMAL,
    DATE,
    TIMESTAMP,
    TIMESTAMP_TZ,
    BINARY,
    JSON,
    STRUCT,
    LIST,
    MAP
  }

  /** A field of a struct: a name, a type, and whether the struct must hold it. */
  public static final class Field implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final ColumnType type;
    private final boolean required;

    private Field(String name, ColumnType type, boolean required) {
      checkArgument(name != null && !name.trim().isEmpty(), "Invalid struct field name: %s", name);
      checkArgument(type != null, "Invalid struct field %s: no type", name);
      this.name = name;
      this.type = type;
      this.required = required;
    }

    public static Field required(String name, ColumnType type) {
      return new Field(name, type, true);
    }

    public static Field optional(String name, ColumnType type) {
      return new Field(name, type, false);
    }

    public String name() {
      return name;
    }

    public ColumnType type() {
      return type;
    }

    public boolean required() {
      return required;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Field && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
      return toString().hashCode();
    }

    /** {@code name:type}, with {@code not null} if required: all that makes a field. */
    @Override
    public String toString() {
      return name + ":" + type + (required ? " not null" : "");
    }
  }

  /** Largest decimal precision supported by Iceberg and Parquet. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  private static final ColumnType STRING = scalar(Kind.STRING);
  private static final ColumnType INT = scalar(Kind.INT);
  private static final ColumnType LONG = scalar(Kind.LONG);
  private static final ColumnType BOOLEAN = scalar(Kind.BOOLEAN);
  private static final ColumnType DOUBLE = scalar(Kind.DOUBLE);
  private static final ColumnType DATE = scalar(Kind.DATE);
  private static final ColumnType BINARY = scalar(Kind.BINARY);
  private static final ColumnType JSON = scalar(Kind.JSON);

  private final Kind kind;
  private final int precision;
  private final int scale;
  private final List<Field> fields;
  private final ColumnType element;

  private ColumnType(Kind kind, int precision, int scale, List<Field> fields, ColumnType element) {
    this.kind = kind;
    this.precision = precision;
    this.scale = scale;
    this.fields = fields;
    this.element = element;
  }

  public static ColumnType string() {
    return STRING;
  }

  public static ColumnType integer() {
    return INT;
  }

  public static ColumnType bigint() {
    return LONG;
  }

  public static ColumnType bool() {
    return BOOLEAN;
  }

  public static ColumnType float64() {
    return DOUBLE;
  }

  public static ColumnType date() {
    return DATE;
  }

  /** Raw bytes: the record's key or value. */
  public static ColumnType binary() {
    return BINARY;
  }

  /** A JSON value of any shape, kept as its exact text. */
  public static ColumnType json() {
    return JSON;
  }

  /** A decimal with {@code precision} digits in all, {@code scale} of them after the point. */
  public static ColumnType decimal(int precision, int scale) {
    checkArgument(
        precision >= 1 && precision <= MAX_DECIMAL_PRECISION,
        "Invalid decimal precision %s: must be between 1 and %s",
        precision,
        MAX_DECIMAL_PRECISION);
    checkArgument(
        scale >= 0 && scale <= precision,
        "Invalid decimal scale %s: must be between 0 and the precision %s",
        scale,
        precision);
    return new ColumnType(Kind.DECIMAL, precision, scale, List.of(), null);
  }

  /** A timestamp without time zone (UTC wall clock) with {@code precision} fraction digits. */
  public static ColumnType timestamp(int precision) {
    return new ColumnType(Kind.TIMESTAMP, checkTimestampPrecision(precision), 0, List.of(), null);
  }

  /** An instant on the time line with {@code precision} fraction digits. */
  public static ColumnType timestampTz(int precision) {
    return new ColumnType(
        Kind.TIMESTAMP_TZ, checkTimestampPrecision(precision), 0, List.of(), null);
  }

  /** A struct of {@code fields}, from a JSON object; names are unique, ignoring case. */
  public static ColumnType struct(List<Field> fields) {
    checkArgument(fields != null && !fields.isEmpty(), "Invalid struct: no fields");
    Set<String> names = new HashSet<>();
    for (Field field : fields) {
      checkArgument(
          names.add(field.name().toLowerCase(Locale.ROOT)),
          "Invalid struct: field %s twice",
          field.name());
    }
    return new ColumnType(
        Kind.STRUCT, 0, 0, Collections.unmodifiableList(new ArrayList<>(fields)), null);
  }

  /** A list of {@code element} values, from a JSON array. */
  public static ColumnType list(ColumnType element) {
    checkArgument(element != null, "Invalid list: no element type");
    return new ColumnType(Kind.LIST, 0, 0, Collections.emptyList(), element);
  }

  /** A map from string keys to {@code value} values, from a JSON object with free keys. */
  public static ColumnType map(ColumnType value) {
    checkArgument(value != null, "Invalid map: no value type");
    return new ColumnType(Kind.MAP, 0, 0, Collections.emptyList(), value);
  }

  /**
   * Parses a type name as written in a mapping file: {@code string}, {@code int}, {@code long},
   * {@code boolean}, {@code double}, {@code date}, {@code decimal(p,s)}, {@code timestamp(p)},
   * {@code timestamptz(p)} ({@code timestamp} and {@code timestamptz} alone have precision 6),
   * {@code binary}, {@code json}, {@code list<T>}, {@code map<string,T>} and {@code struct<name:T,
   * other:T not null>}.
   */
  public static ColumnType parse(String text) {
    checkArgument(text != null, "Invalid column type: null");
    TypeNames parser = new TypeNames(text);
    ColumnType type = parser.type();
    parser.end();
    return type;
  }

  public Kind kind() {
    return kind;
  }

  /** Digits in all for a decimal, fraction digits for a timestamp, 0 otherwise. */
  public int precision() {
    return precision;
  }

  /** Fraction digits for a decimal, 0 otherwise. */
  public int scale() {
    return scale;
  }

  /** A struct's fields, in order; empty for other kinds. */
  public List<Field> fields() {
    return fields;
  }

  /** A list's element type, or a map's value type; null for other kinds. */
  public ColumnType element() {
    return element;
  }

  /** Whether values of this type hold other values: a struct, a list or a map. */
  public boolean isNested() {
    return kind == Kind.STRUCT || kind == Kind.LIST || kind == Kind.MAP;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ColumnType && identity().equals(((ColumnType) other).identity());
  }

  @Override
  public int hashCode() {
    return identity().hashCode();
  }

  private List<Object> identity() {
    return Arrays.asList(kind, precision, scale, fields, element);
  }

  /** The type name as {@link #parse} reads it, e.g. {@code decimal(29,17)}. */
  @Override
  public String toString() {
    return TypeNames.name(this);
  }

  private static ColumnType scalar(Kind kind) {
    return new ColumnType(kind, 0, 0, List.of(), null);
  }

  private static int checkTimestampPrecision(int precision) {
    checkArgument(
        precision >= 0 && precision <= 6,
        "Invalid timestamp precision %s: must be between 0 and 6",
        precision);
    return precision;
  }
}
