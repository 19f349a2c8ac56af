package io.github.ingest.core.mapping;

import static io.github.ingest.core.internal.Preconditions.checkArgument;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules a mapping keeps as a whole: unique column names, sources its columns' types can hold,
 * field paths that are either a value or an object, a table name of {@code namespace.name}, and
 * partition fields that apply to their columns. Each failure names the mapping and what is wrong.
 */
final class MappingRules {

  private final String name;
  private final List<Column> columns;

  private MappingRules(String name, List<Column> columns) {
    this.name = name;
    this.columns = columns;
  }

  /**
   * Checks a mapping before it is built.
   *
   * @throws IllegalArgumentException naming the rule it breaks
   */
  static void check(
      String name, String table, List<Column> columns, List<PartitionField> partitioning) {
    new MappingRules(name, columns).check(table, partitioning);
  }

  private void check(String table, List<PartitionField> partitioning) {
    checkArgument(name != null && !name.trim().isEmpty(), "Invalid mapping name: %s", name);
    checkArgument(!columns.isEmpty(), "Invalid mapping %s: no columns", name);
    Set<String> names = new HashSet<>();
    for (Column column : columns) {
      checkArgument(
          names.add(column.name().toLowerCase(Locale.ROOT)),
          "Invalid mapping %s: duplicate column %s",
          name,
          column.name());
      checkSource(column);
    }
    checkPaths(false);
    checkPaths(true);
    checkArgument(
        table == null || table.matches("[^.\\s]+(\\.[^.\\s]+)+"),
        "Invalid mapping %s: table %s is not namespace.name",
        name,
        table);
    Set<String> partitionedBy = new HashSet<>();
    for (PartitionField field : partitioning) {
      Column column =
          columns.stream().filter(c -> c.name().equals(field.column())).findFirst().orElse(null);
      checkArgument(
          column != null, "Invalid mapping %s: partition field %s names no column", name, field);
      checkArgument(
          field.fits(column.type()),
          "Invalid mapping %s: partition field %s does not apply to column %s of type %s",
          name,
          field,
          column.name(),
          column.type());
      checkArgument(
          partitionedBy.add(field.toString()),
          "Invalid mapping %s: partition field %s twice",
          name,
          field);
    }
  }

  /** The column's type can hold what its source gives. */
  private void checkSource(Column column) {
    ColumnSource source = column.source();
    ColumnType type = column.type();
    MetadataField metadata = source.metadata();
    if (metadata != null) {
      checkArgument(
          MetadataValues.supports(metadata, type),
          "Invalid mapping %s: column %s of type %s cannot hold metadata %s",
          name,
          column.name(),
          type,
          metadata.id());
    } else if (source.header() != null) {
      checkArgument(
          MetadataValues.supportsHeader(type),
          "Invalid mapping %s: column %s of type %s cannot hold header %s (a string or binary"
              + " column can)",
          name,
          column.name(),
          type,
          source.header());
    } else {
      checkArgument(
          !containsBinary(type),
          "Invalid mapping %s: column %s of type %s reads %s, but JSON holds no bytes (a binary"
              + " column takes metadata source-key, source-value or a header)",
          name,
          column.name(),
          type,
          source);
    }
  }

  private static boolean containsBinary(ColumnType type) {
    if (type.kind() == ColumnType.Kind.BINARY) {
      return true;
    }
    if (type.element() != null && containsBinary(type.element())) {
      return true;
    }
    return type.fields().stream().anyMatch(field -> containsBinary(field.type()));
  }

  /**
   * A field read as a value cannot also be an object whose fields are read; in the value, or with
   * {@code inKey} in the key.
   */
  private void checkPaths(boolean inKey) {
    Map<List<String>, Column> leaves = new HashMap<>();
    for (Column column : columns) {
      if (inKey ? column.source().isKeyField() : column.source().isField()) {
        leaves.putIfAbsent(column.source().path(), column);
      }
    }
    for (Column column : columns) {
      if (inKey != column.source().isKeyField()) {
        continue;
      }
      List<String> path = column.source().path();
      for (int length = 1; length < path.size(); length++) {
        Column parent = leaves.get(path.subList(0, length));
        checkArgument(
            parent == null,
            "Invalid mapping %s: field %s of column %s is an object holding field %s of column %s",
            name,
            String.join(".", path.subList(0, length)),
            parent == null ? null : parent.name(),
            String.join(".", path),
            column.name());
      }
    }
  }
}
