package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.ColumnType.checkArgument;

import java.io.Serializable;
import java.util.Objects;

/** One column of a mapping's target table: its name, type, source and whether it is required. */
public final class Column implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final ColumnType type;
  private final ColumnSource source;
  private final boolean required;

  private Column(String name, ColumnType type, ColumnSource source, boolean required) {
    this.name = name;
    this.type = type;
    this.source = source;
    this.required = required;
  }

  /** A column that is NULL when its source is missing or JSON {@code null}. */
  public static Column optional(String name, ColumnType type, ColumnSource source) {
    return of(name, type, source, false);
  }

  /** A column whose source must be present: a record without it is rejected. */
  public static Column required(String name, ColumnType type, ColumnSource source) {
    return of(name, type, source, true);
  }

  private static Column of(String name, ColumnType type, ColumnSource source, boolean required) {
    checkArgument(name != null && !name.trim().isEmpty(), "Invalid column name: %s", name);
    checkArgument(type != null, "Invalid type for column %s: null", name);
    checkArgument(source != null, "Invalid source for column %s: null", name);
    return new Column(name, type, source, required);
  }

  public String name() {
    return name;
  }

  public ColumnType type() {
    return type;
  }

  public ColumnSource source() {
    return source;
  }

  public boolean required() {
    return required;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Column)) {
      return false;
    }
    Column that = (Column) other;
    return name.equals(that.name)
        && type.equals(that.type)
        && source.equals(that.source)
        && required == that.required;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, source, required);
  }

  @Override
  public String toString() {
    return name + " " + type + (required ? " required" : "") + " from " + source;
  }
}
