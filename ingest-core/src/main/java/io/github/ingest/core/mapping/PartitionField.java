package io.github.ingest.core.mapping;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One field of a table's partitioning: a column and a transform, written as in Iceberg's SQL
 * extensions: {@code day(ts)}, {@code bucket(16, id)}, {@code truncate(4, name)}, or the column
 * alone for identity.
 */
public final class PartitionField implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final Pattern FORM =
      Pattern.compile("\\s*(\\w+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([^,()\\s]+)\\s*\\)\\s*");

  /** How a column's value becomes a partition value. */
  public enum Transform {
    IDENTITY,
    YEAR,
    MONTH,
    DAY,
    HOUR,
    BUCKET,
    TRUNCATE;

    String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String column;
  private final Transform transform;
  private final int parameter;

  private PartitionField(String column, Transform transform, int parameter) {
    this.column = column;
    this.transform = transform;
    this.parameter = parameter;
  }

  public static PartitionField identity(String column) {
    return new PartitionField(column, Transform.IDENTITY, 0);
  }

  public static PartitionField year(String column) {
    return new PartitionField(column, Transform.YEAR, 0);
  }

  public static PartitionField month(String column) {
    return new PartitionField(column, Transform.MONTH, 0);
  }

  public static PartitionField day(String column) {
    return new PartitionField(column, Transform.DAY, 0);
  }

  public static PartitionField hour(String column) {
    return new PartitionField(column, Transform.HOUR, 0);
  }

  public static PartitionField bucket(int buckets, String column) {
    checkPositive(buckets, "bucket", column);
    return new PartitionField(column, Transform.BUCKET, buckets);
  }

  public static PartitionField truncate(int width, String column) {
    checkPositive(width, "truncate", column);
    return new PartitionField(column, Transform.TRUNCATE, width);
  }

  /**
   * Parses {@code column}, {@code year(column)}, ..., {@code bucket(N, column)} or {@code
   * truncate(W, column)}.
   *
   * @throws IllegalArgumentException naming the text if it is none of these
   */
  public static PartitionField parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.matches("[^,()\\s]+")) {
      return identity(trimmed);
    }
    Matcher matcher = FORM.matcher(trimmed);
    if (matcher.matches()) {
      String name = matcher.group(1).toLowerCase(Locale.ROOT);
      String column = matcher.group(3);
      boolean numbered = matcher.group(2) != null;
      for (Transform transform : Transform.values()) {
        boolean wantsNumber = transform == Transform.BUCKET || transform == Transform.TRUNCATE;
        if (transform.text().equals(name) && wantsNumber == numbered) {
          int parameter = numbered ? Integer.parseInt(matcher.group(2)) : 0;
          if (wantsNumber) {
            checkPositive(parameter, name, column);
          }
          return new PartitionField(column, transform, parameter);
        }
      }
    }
    throw new IllegalArgumentException(
        "Invalid partition field '"
            + text
            + "': expected a column, year(c), month(c), day(c), hour(c), bucket(N, c) or"
            + " truncate(W, c)");
  }

  public String column() {
    return column;
  }

  public Transform transform() {
    return transform;
  }

  /** The number of buckets or the truncation width; 0 for other transforms. */
  public int parameter() {
    return parameter;
  }

  /** Whether the transform applies to a column of {@code type}. */
  boolean fits(ColumnType type) {
    switch (transform) {
      case YEAR:
      case MONTH:
      case DAY:
        return type.kind() == ColumnType.Kind.DATE
            || type.kind() == ColumnType.Kind.TIMESTAMP
            || type.kind() == ColumnType.Kind.TIMESTAMP_TZ;
      case HOUR:
        return type.kind() == ColumnType.Kind.TIMESTAMP
            || type.kind() == ColumnType.Kind.TIMESTAMP_TZ;
      case TRUNCATE:
        return type.kind() == ColumnType.Kind.STRING
            || type.kind() == ColumnType.Kind.INT
            || type.kind() == ColumnType.Kind.LONG
            || type.kind() == ColumnType.Kind.DECIMAL;
      case BUCKET:
        return type.kind() != ColumnType.Kind.BOOLEAN && type.kind() != ColumnType.Kind.DOUBLE;
      default:
        return true;
    }
  }

  private static void checkPositive(int value, String transform, String column) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "Invalid partition field "
              + transform
              + "("
              + value
              + ", "
              + column
              + "): expected a"
              + " positive number");
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof PartitionField)) {
      return false;
    }
    PartitionField that = (PartitionField) other;
    return column.equals(that.column) && transform == that.transform && parameter == that.parameter;
  }

  @Override
  public int hashCode() {
    return Objects.hash(column, transform, parameter);
  }

  @Override
  public String toString() {
    switch (transform) {
      case IDENTITY:
        return column;
      case BUCKET:
      case TRUNCATE:
        return transform.text() + "(" + parameter + ", " + column + ")";
      default:
        return transform.text() + "(" + column + ")";
    }
  }
}
