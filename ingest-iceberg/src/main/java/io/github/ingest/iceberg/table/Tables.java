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

/** Loads a mapping's table, creating it and its namespace when missing. */
public final class Tables {

  private static final Logger LOG = LoggerFactory.getLogger(Tables.class);

  /** 128 MiB: one data file per writer and batch for most batches. */
  public static final long DEFAULT_TARGET_FILE_SIZE = 128L * 1024 * 1024;

  private Tables() {}

  /**
   * The table {@code identifier}, created from {@code mapping} with format version 2, Parquet with
   * zstd and the target file size if missing; an existing table must hold every column.
   */
  public static Table loadOrCreate(Catalog catalog, TableIdentifier identifier, Mapping mapping) {
    return loadOrCreate(
        catalog, identifier, TableSchemas.schema(mapping), mapping.name(), "mapping");
  }

  /**
   * The table {@code identifier}, created with {@code schema} as {@link #loadOrCreate(Catalog,
   * TableIdentifier, Mapping)} does if missing; an existing table must hold every column of {@code
   * schema} with the same type. {@code what} and {@code whatKind} name the schema in messages.
   *
   * @throws IncompatibleTableException if an existing table lacks a column or has another type
   */
  public static Table loadOrCreate(
      Catalog catalog, TableIdentifier identifier, Schema schema, String what, String whatKind) {
    if (catalog.tableExists(identifier)) {
      Table table = catalog.loadTable(identifier);
      checkCompatible(table, schema, what, whatKind);
      return table;
    }
    createNamespace(catalog, identifier.namespace());
    Map<String, String> properties = new HashMap<>();
    properties.put(TableProperties.FORMAT_VERSION, "2");
    properties.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
    properties.put(TableProperties.PARQUET_COMPRESSION, "zstd");
    properties.put(
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(DEFAULT_TARGET_FILE_SIZE));
    try {
      Table table =
          catalog.createTable(identifier, schema, PartitionSpec.unpartitioned(), properties);
      LOG.info("Created table {} at {}", identifier, table.location());
      return table;
    } catch (AlreadyExistsException e) {
      // another run created it first
      Table table = catalog.loadTable(identifier);
      checkCompatible(table, schema, what, whatKind);
      return table;
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
      }
    }
  }
}
