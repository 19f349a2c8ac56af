package io.github.ingest.core.mapping;

import static io.github.ingest.core.internal.Preconditions.checkArgument;

import io.github.ingest.core.batch.BatchMetadata;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 *
 * <p>Its builder checks the mapping as a whole ({@link MappingRules}), so that no invalid mapping
 * exists.
 */
public final class Mapping implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final String table;
  private final List<Column> columns;
  private final List<PartitionField> partitioning;
  private final Map<String, String> properties;

  private Mapping(
      String name,
      String table,
      List<Column> columns,
      List<PartitionField> partitioning,
      Map<String, String> properties) {
    this.name = name;
    this.table = table;
    this.columns = columns;
    this.partitioning = partitioning;
    this.properties = properties;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The mapping's name, e.g. the kind of message it maps. */
  public String name() {
    return name;
  }

  /** The target table, {@code namespace.name}, or null if the mapping leaves it to the run. */
  public String table() {
    return table;
  }

  /** The target columns, in table order. */
  public List<Column> columns() {
    return columns;
  }

  /** The column with this name, or null. */
  public Column column(String columnName) {
    for (Column column : columns) {
      if (column.name().equals(columnName)) {
        return column;
      }
    }
    return null;
  }

  /** How a new table is partitioned; empty for none. */
  public List<PartitionField> partitioning() {
    return partitioning;
  }

  /** This mapping with another partitioning, e.g. one a run was configured with. */
  public Mapping withPartitioning(List<PartitionField> newPartitioning) {
    Builder builder = new Builder(name).table(table);
    columns.forEach(builder::column);
    newPartitioning.forEach(builder::partitionBy);
    properties.forEach(builder::property);
    return builder.build();
  }

  /** This mapping with the table property {@code key} set to {@code value} for a new table. */
  public Mapping withProperty(String key, String value) {
    Builder builder = new Builder(name).table(table);
    columns.forEach(builder::column);
    partitioning.forEach(builder::partitionBy);
    properties.forEach(builder::property);
    builder.property(key, value);
    return builder.build();
  }

  /**
   * This mapping with its columns in the order of {@code names}, e.g. an existing table's order.
   *
   * @throws IllegalArgumentException if {@code names} are not exactly the mapping's columns
   */
  public Mapping reorderedAs(List<String> names) {
    Builder builder = new Builder(name).table(table);
    for (String columnName : names) {
      Column column = column(columnName);
      checkArgument(
          column != null, "Invalid column order: %s is not in mapping %s", columnName, name);
      builder.column(column);
    }
    checkArgument(
        names.size() == columns.size(),
        "Invalid column order %s for mapping %s: expected every one of its columns",
        names,
        name);
    partitioning.forEach(builder::partitionBy);
    properties.forEach(builder::property);
    return builder.build();
  }

  /** Table properties a new table is created with, besides the job's defaults. */
  public Map<String, String> properties() {
    return properties;
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
    return name.equals(that.name)
        && Objects.equals(table, that.table)
        && columns.equals(that.columns)
        && partitioning.equals(that.partitioning)
        && properties.equals(that.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, table, columns, partitioning, properties);
  }

  @Override
  public String toString() {
    return "mapping " + name + " " + columns;
  }

  /** Builds a {@link Mapping}, checking it as a whole in {@link #build()}. */
  public static final class Builder {
    private final String name;
    private String table;
    private final List<Column> columns = new ArrayList<>();
    private final List<PartitionField> partitioning = new ArrayList<>();
    private final Map<String, String> properties = new TreeMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** The target table, {@code namespace.name}. */
    public Builder table(String newTable) {
      this.table = newTable;
      return this;
    }

    public Builder column(Column column) {
      checkArgument(column != null, "Invalid column: null");
      columns.add(column);
      return this;
    }

    /** Partitions a new table by {@code field}, after the fields given before. */
    public Builder partitionBy(PartitionField field) {
      checkArgument(field != null, "Invalid partition field: null");
      partitioning.add(field);
      return this;
    }

    /** A table property a new table is created with. */
    public Builder property(String key, String value) {
      checkArgument(
          key != null && !key.isEmpty() && value != null,
          "Invalid table property %s=%s",
          key,
          value);
      properties.put(key, value);
      return this;
    }

    public Mapping build() {
      MappingRules.check(name, table, columns, partitioning);
      return new Mapping(
          name,
          table,
          Collections.unmodifiableList(new ArrayList<>(columns)),
          Collections.unmodifiableList(new ArrayList<>(partitioning)),
          Collections.unmodifiableMap(new TreeMap<>(properties)));
    }
  }
}
