package io.github.ingest.iceberg.table;

import io.github.ingest.core.mapping.Mapping;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a mapping's table, creating it and its namespace when missing; {@link SchemaEvolution}
 * evolves an existing one.
 */
public final class Tables {

  private static final Logger LOG = LoggerFactory.getLogger(Tables.class);

  /** 128 MiB: one data file per writer and batch for most batches. */
  public static final long DEFAULT_TARGET_FILE_SIZE = 128L * 1024 * 1024;

  /**
   * 32 MiB: a writer holds the row group of each file it has open in memory, so this, not the
   * batch's size, bounds its memory; Iceberg's default, 128 MiB, is a whole file.
   */
  public static final long DEFAULT_ROW_GROUP_SIZE = 32L * 1024 * 1024;

  private Tables() {}

  /**
   * The table {@code identifier} for {@code mapping}: created with the mapping's schema,
   * partitioning and properties (format version 2, Parquet with zstd, the target file size) if
   * missing; an existing table gets the mapping's new optional columns and safe type widenings (int
   * to long, float to double, a decimal's precision), logged.
   *
   * @throws IncompatibleTableException if the table cannot hold the mapping's rows: a column the
   *     mapping does not fill, a new required column, a type that does not widen safely, or a
   *     column required in the table that the mapping leaves optional
   */
  public static Table loadOrCreate(Catalog catalog, TableIdentifier identifier, Mapping mapping) {
    Schema schema = TableSchemas.schema(mapping);
    if (catalog.tableExists(identifier)) {
      return SchemaEvolution.evolve(catalog.loadTable(identifier), mapping);
    }
    Map<String, String> properties = new HashMap<>(defaultProperties());
    properties.putAll(mapping.properties());
    PartitionSpec spec = TableSchemas.spec(schema, mapping.partitioning());
    Table table = create(catalog, identifier, schema, spec, properties);
    return table == null ? SchemaEvolution.evolve(catalog.loadTable(identifier), mapping) : table;
  }

  /**
   * The table {@code identifier}, created with {@code schema} if missing; an existing table must
   * hold every column of {@code schema} with the same type. {@code what} and {@code whatKind} name
   * the schema in messages.
   *
   * @throws IncompatibleTableException if an existing table lacks a column or has another type
   */
  public static Table loadOrCreate(
      Catalog catalog, TableIdentifier identifier, Schema schema, String what, String whatKind) {
    if (!catalog.tableExists(identifier)) {
      Table created =
          create(catalog, identifier, schema, PartitionSpec.unpartitioned(), defaultProperties());
      if (created != null) {
        return created;
      }
    }
    Table table = catalog.loadTable(identifier);
    checkCompatible(table, schema, what, whatKind);
    return table;
  }

  private static Map<String, String> defaultProperties() {
    Map<String, String> properties = new HashMap<>();
    properties.put(TableProperties.FORMAT_VERSION, "2");
    properties.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
    properties.put(TableProperties.PARQUET_COMPRESSION, "zstd");
    // the job's batch.routing then sends a small batch's rows to the writers by partition (one
    // file per partition and batch), a large one's straight to its writers; other engines read
    // Iceberg's usual hash
    properties.put(
        TableProperties.WRITE_DISTRIBUTION_MODE, TableProperties.WRITE_DISTRIBUTION_MODE_HASH);
    properties.put(
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(DEFAULT_TARGET_FILE_SIZE));
    properties.put(
        TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, Long.toString(DEFAULT_ROW_GROUP_SIZE));
    return properties;
  }

  /** The new table, or null if another run created it first. */
  private static Table create(
      Catalog catalog,
      TableIdentifier identifier,
      Schema schema,
      PartitionSpec spec,
      Map<String, String> properties) {
    createNamespace(catalog, identifier.namespace());
    try {
      Table table = catalog.createTable(identifier, schema, spec, properties);
      LOG.info("Created table {} at {}, partitioned by {}", identifier, table.location(), spec);
      return table;
    } catch (AlreadyExistsException e) {
      return null;
    }
  }

  static void checkCompatible(Table table, Schema schema, String what, String whatKind) {
    Schema existing = table.schema();
    for (Types.NestedField column : schema.columns()) {
      Types.NestedField field = existing.findField(column.name());
      if (field == null) {
        throw new IncompatibleTableException(
            String.format(
                "Cannot write to table %s: it has no column %s of %s %s",
                table.name(), column.name(), whatKind, what));
      }
      if (!field.type().equals(column.type())) {
        throw new IncompatibleTableException(
            String.format(
                "Cannot write to table %s: column %s is %s in the table, %s in %s %s",
                table.name(), column.name(), field.type(), column.type(), whatKind, what));
      }
    }
  }

  private static void createNamespace(Catalog catalog, Namespace namespace) {
    if (namespace.isEmpty() || !(catalog instanceof SupportsNamespaces)) {
      return;
    }
    SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
    if (!namespaces.namespaceExists(namespace)) {
      try {
        namespaces.createNamespace(namespace);
      } catch (AlreadyExistsException e) {
        // another run created it first
      } catch (RuntimeException e) {
        // Iceberg 1.3.0's JDBC catalog checks, then inserts: a run that inserted in between
        // makes the insert fail on the primary key instead of with AlreadyExistsException
        if (!namespaces.namespaceExists(namespace)) {
          throw e;
        }
      }
    }
  }
}
