package io.github.ingest.core.mapping;

import java.time.ZoneId;

/**
 * A place values are read to: a column, or a field or element nested in one. {@code field} names it
 * in messages; a nested list's elements and a map's values have {@link Rejections#ELEMENT} in it,
 * which their container replaces with the index or key of a rejected one.
 */
final class ValueSite {
  final int column;
  final String field;
  final ColumnType type;
  final String columnName;
  final Column.TimestampFormat format;
  final ZoneId zone;

  ValueSite(
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

  /** The site of column {@code column}, read from the field {@code field} names. */
  static ValueSite of(int column, String field, Column definition) {
    return new ValueSite(
        column,
        field,
        definition.type(),
        definition.name(),
        definition.format(),
        definition.zone() == null ? null : ZoneId.of(definition.zone()));
  }

  /** The place of a nested field or element: {@code suffix} more in its name, of its type. */
  ValueSite nested(String suffix, ColumnType nestedType) {
    return new ValueSite(column, field + suffix, nestedType, columnName, format, zone);
  }
}
