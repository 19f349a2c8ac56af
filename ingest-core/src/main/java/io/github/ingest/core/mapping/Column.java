package io.github.ingest.core.mapping;

import static io.github.ingest.core.internal.Preconditions.checkArgument;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.Objects;

/** One column of a mapping's target table: its name, type, source and whether it is required. */
public final class Column implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final ColumnType type;
  private final ColumnSource source;
  private final boolean required;
  private final TimestampFormat format;
  private final String zone;

  /** How a timestamp column's value is written in the message. */
  public enum TimestampFormat {
    /**
     * ISO-8601 text, {@code 2023-01-30T23:59:59.123+01:00}; the offset is required unless a zone is
     * set.
     */
    ISO,
    /** Milliseconds since the epoch, a JSON integer or an integral string. */
    EPOCH_MILLIS,
    /** Seconds since the epoch, a JSON integer or an integral string. */
    EPOCH_SECONDS;

    /** {@code iso}, {@code epoch-millis}, {@code epoch-seconds}. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The format with the given {@link #id()}. */
    public static TimestampFormat fromId(String id) {
      for (TimestampFormat format : values()) {
        if (format.id().equals(id)) {
          return format;
        }
      }
      throw new IllegalArgumentException(
          "Invalid timestamp format: " + id + " (expected iso, epoch-millis or epoch-seconds)");
    }
  }

  private Column(
      String name,
      ColumnType type,
      ColumnSource source,
      boolean required,
      TimestampFormat format,
      String zone) {
    this.name = name;
    this.type = type;
    this.source = source;
    this.required = required;
    this.format = format;
    this.zone = zone;
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
    return new Column(name, type, source, required, TimestampFormat.ISO, null);
  }

  /** This timestamp column, read in {@code newFormat}. */
  public Column withFormat(TimestampFormat newFormat) {
    checkTimestamp("a timestamp format");
    checkArgument(newFormat != null, "Invalid timestamp format for column %s: null", name);
    return new Column(name, type, source, required, newFormat, zone);
  }

  /**
   * This timestamp column, whose ISO values without offset are local times in {@code zoneId} (a
   * region such as {@code Europe/Berlin}, or {@code UTC}).
   */
  public Column withZone(String zoneId) {
    checkTimestamp("a time zone");
    try {
      ZoneId.of(zoneId);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Invalid time zone for column " + name + ": " + zoneId, e);
    }
    return new Column(name, type, source, required, format, zoneId);
  }

  private void checkTimestamp(String what) {
    checkArgument(
        source.isField()
            && (type.kind() == ColumnType.Kind.TIMESTAMP
                || type.kind() == ColumnType.Kind.TIMESTAMP_TZ),
        "Invalid column %s: only a timestamp column read from a field can have %s",
        name,
        what);
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

  /** How a timestamp column's value is written; {@link TimestampFormat#ISO} for other columns. */
  public TimestampFormat format() {
    return format;
  }

  /** The zone of ISO timestamps without offset, or null if they must carry one. */
  public String zone() {
    return zone;
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
        && required == that.required
        && format == that.format
        && Objects.equals(zone, that.zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, source, required, format, zone);
  }

  @Override
  public String toString() {
    return name
        + " "
        + type
        + (required ? " required" : "")
        + " from "
        + source
        + (format == TimestampFormat.ISO ? "" : " as " + format.id())
        + (zone == null ? "" : " in " + zone);
  }
}
