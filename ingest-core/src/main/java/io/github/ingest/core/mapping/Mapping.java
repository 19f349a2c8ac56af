package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.ColumnType.checkArgument;

import io.github.ingest.core.batch.BatchMetadata;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A declarative mapping of JSON messages to rows of a table: the columns in order, each with its
 * type and source. It is a value: build it in Java or read it from a file, then make a {@link
 * RecordMapper} per batch.
 *
 * <pre>{@code
 * Mapping mapping =
 *     Mapping.builder("orders")
 *         .column(Column.required("order_id", ColumnType.string(), ColumnSource.field("id")))
 *         .column(Column.optional("amount", ColumnType.decimal(12, 2), ColumnSource.field("amount")))
 *         .build();
 * RecordMapper mapper = mapping.mapper(batchMetadata);
 * Object[] row = mapper.map(record);
 * }</pre>
 */
public final class Mapping implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final List<Column> columns;

  private Mapping(String name, List<Column> columns) {
    this.name = name;
    this.columns = columns;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The mapping's name, e.g. the kind of message it maps. */
  public String name() {
    return name;
  }

  /** The target columns, in table order. */
  public List<Column> columns() {
    return columns;
  }

  /** A mapper that fills the batch-level metadata columns from {@code batch}. */
  public RecordMapper mapper(BatchMetadata batch) {
    checkArgument(batch != null, "Invalid batch metadata: null");
    return new RecordMapper(this, batch);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Mapping)) {
      return false;
    }
    Mapping that = (Mapping) other;
    return name.equals(that.name) && columns.equals(that.columns);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + columns.hashCode();
  }

  @Override
  public String toString() {
    return "mapping " + name + " " + columns;
  }

  /** Builds a {@link Mapping}, checking it as a whole in {@link #build()}. */
  public static final class Builder {
    private final String name;
    private final List<Column> columns = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder column(Column column) {
      checkArgument(column != null, "Invalid column: null");
      columns.add(column);
      return this;
    }

    public Mapping build() {
      checkArgument(name != null && !name.trim().isEmpty(), "Invalid mapping name: %s", name);
      checkArgument(!columns.isEmpty(), "Invalid mapping %s: no columns", name);
      Set<String> names = new HashSet<>();
      for (Column column : columns) {
        checkArgument(
            names.add(column.name().toLowerCase(Locale.ROOT)),
            "Invalid mapping %s: duplicate column %s",
            name,
            column.name());
        MetadataField metadata = column.source().metadata();
        checkArgument(
            metadata == null || MetadataValues.supports(metadata, column.type()),
            "Invalid mapping %s: column %s of type %s cannot hold metadata %s",
            name,
            column.name(),
            column.type(),
            metadata == null ? null : metadata.id());
      }
      checkPaths();
      return new Mapping(name, Collections.unmodifiableList(new ArrayList<>(columns)));
    }

    /** A field read as a value cannot also be an object whose fields are read. */
    private void checkPaths() {
      Map<List<String>, Column> leaves = new HashMap<>();
      for (Column column : columns) {
        if (column.source().isField()) {
          leaves.putIfAbsent(column.source().path(), column);
        }
      }
      for (Column column : columns) {
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
}
