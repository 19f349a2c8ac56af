package io.github.ingest.iceberg.table;

import io.github.ingest.core.mapping.Column;
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
    if (catalog.tableExists(identifier)) {
      Table table = catalog.loadTable(identifier);
      checkCompatible(table, mapping);
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
          catalog.createTable(
              identifier, TableSchemas.schema(mapping), PartitionSpec.unpartitioned(), properties);
      LOG.info("Created table {} at {}", identifier, table.location());
      return table;
    } catch (AlreadyExistsException e) {
      // another run created it first
      Table table = catalog.loadTable(identifier);
      checkCompatible(table, mapping);
      return table;
    }
  }

  static void checkCompatible(Table table, Mapping mapping) {
    Schema schema = table.schema();
    for (Column column : mapping.columns()) {
      Types.NestedField field = schema.findField(column.name());
      if (field == null) {
        throw new IllegalStateException(
            "Cannot write to table "
                + table.name()
                + ": it has no column "
                + column.name()
                + " of mapping "
                + mapping.name());
      }
      if (!field.type().equals(TableSchemas.type(column.type()))) {
        throw new IllegalStateException(
            "Cannot write to table "
                + table.name()
                + ": column "
                + column.name()
                + " is "
                + field.type()
                + " in the table, "
                + TableSchemas.type(column.type())
                + " in mapping "
                + mapping.name());
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
