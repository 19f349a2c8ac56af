package io.github.ingest.core.mapping;

import static io.github.ingest.core.internal.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a target column, independent of any table format.
 *
 * <p>Values produced by a {@link RecordMapper} for a column have the Java type given by {@link
 * Kind}: {@code STRING} a {@link String}, {@code INT} an {@link Integer}, {@code LONG} a {@link
 * Long}, {@code BOOLEAN} a {@link Boolean}, {@code DOUBLE} a {@link Double}, {@code DECIMAL} a
 * {@link java.math.BigDecimal} with exactly the column's scale, {@code DATE} a {@link
 * java.time.LocalDate}, {@code TIMESTAMP} a {@link java.time.LocalDateTime} in UTC and {@code
 * TIMESTAMP_TZ} an {@link java.time.Instant}, both truncated to the column's precision.
 *
 * <pre>{@code
 * ColumnType amount = ColumnType.decimal(29, 17);
 * ColumnType same = ColumnType.parse("decimal(29,17)");
 * }</pre>
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
    TIMESTAMP_TZ
  }

  /** Largest decimal precision supported by Iceberg and Parquet. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  private static final Pattern PARAMETERIZED =
      Pattern.compile("([a-z_]+)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

  private static final ColumnType STRING = new ColumnType(Kind.STRING, 0, 0);
  private static final ColumnType INT = new ColumnType(Kind.INT, 0, 0);
  private static final ColumnType LONG = new ColumnType(Kind.LONG, 0, 0);
  private static final ColumnType BOOLEAN = new ColumnType(Kind.BOOLEAN, 0, 0);
  private static final ColumnType DOUBLE = new ColumnType(Kind.DOUBLE, 0, 0);
  private static final ColumnType DATE = new ColumnType(Kind.DATE, 0, 0);

  private final Kind kind;
  private final int precision;
  private final int scale;

  private ColumnType(Kind kind, int precision, int scale) {
    this.kind = kind;
    this.precision = precision;
    this.scale = scale;
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
    return new ColumnType(Kind.DECIMAL, precision, scale);
  }

  /** A timestamp without time zone (UTC wall clock) with {@code precision} fraction digits. */
  public static ColumnType timestamp(int precision) {
    return new ColumnType(Kind.TIMESTAMP, checkTimestampPrecision(precision), 0);
  }

  /** An instant on the time line with {@code precision} fraction digits. */
  public static ColumnType timestampTz(int precision) {
    return new ColumnType(Kind.TIMESTAMP_TZ, checkTimestampPrecision(precision), 0);
  }

  /**
   * Parses a type name as written in a mapping file: {@code string}, {@code int}, {@code long},
   * {@code boolean}, {@code double}, {@code date}, {@code decimal(p,s)}, {@code timestamp(p)},
   * {@code timestamptz(p)}; {@code timestamp} and {@code timestamptz} alone have precision 6.
   */
  public static ColumnType parse(String text) {
    checkArgument(text != null, "Invalid column type: null");
    String name = text.trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "string":
        return STRING;
      case "int":
      case "integer":
        return INT;
      case "long":
      case "bigint":
        return LONG;
      case "boolean":
        return BOOLEAN;
      case "double":
        return DOUBLE;
      case "date":
        return DATE;
      case "timestamp":
        return timestamp(6);
      case "timestamptz":
        return timestampTz(6);
      default:
        break;
    }
    Matcher matcher = PARAMETERIZED.matcher(name);
    checkArgument(matcher.matches(), "Invalid column type: %s", text);
    String base = matcher.group(1);
    int first = parseParameter(matcher.group(2), text);
    boolean twoParameters = matcher.group(3) != null;
    if ("decimal".equals(base) && twoParameters) {
      return decimal(first, parseParameter(matcher.group(3), text));
    }
    if ("timestamp".equals(base) && !twoParameters) {
      return timestamp(first);
    }
    if ("timestamptz".equals(base) && !twoParameters) {
      return timestampTz(first);
    }
    throw new IllegalArgumentException("Invalid column type: " + text);
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

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ColumnType)) {
      return false;
    }
    ColumnType that = (ColumnType) other;
    return kind == that.kind && precision == that.precision && scale == that.scale;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, precision, scale);
  }

  /** The type name as {@link #parse} reads it, e.g. {@code decimal(29,17)}. */
  @Override
  public String toString() {
    switch (kind) {
      case DECIMAL:
        return "decimal(" + precision + "," + scale + ")";
      case TIMESTAMP:
        return "timestamp(" + precision + ")";
      case TIMESTAMP_TZ:
        return "timestamptz(" + precision + ")";
      case INT:
        return "int";
      case LONG:
        return "long";
      default:
        return kind.name().toLowerCase(Locale.ROOT);
    }
  }

  private static int checkTimestampPrecision(int precision) {
    checkArgument(
        precision >= 0 && precision <= 6,
        "Invalid timestamp precision %s: must be between 0 and 6",
        precision);
    return precision;
  }

  private static int parseParameter(String digits, String text) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid column type: " + text, e);
    }
  }
}
