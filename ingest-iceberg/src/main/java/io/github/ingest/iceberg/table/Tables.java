package io.github.ingest.iceberg.table;

import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.ColumnType;
import io.github.ingest.core.mapping.Mapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a mapping's table, creating it and its namespace when missing. *
 *
 * <p>Over 300 lines because creation and evolution are one decision over the table's schema, and
 * top-level columns and nested fields follow the same rules.
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
      return evolve(catalog.loadTable(identifier), mapping);
    }
    Map<String, String> properties = new HashMap<>(defaultProperties());
    properties.putAll(mapping.properties());
    PartitionSpec spec = TableSchemas.spec(schema, mapping.partitioning());
    Table table = create(catalog, identifier, schema, spec, properties);
    return table == null ? evolve(catalog.loadTable(identifier), mapping) : table;
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

  /** {@code table}, evolved to hold {@code mapping}'s rows. */
  static Table evolve(Table table, Mapping mapping) {
    Schema existing = table.schema();
    String format =
        table.properties().getOrDefault(TableProperties.DEFAULT_FILE_FORMAT, "parquet").trim();
    if (!"parquet".equalsIgnoreCase(format)) {
      throw incompatible(
          table,
          mapping,
          TableProperties.DEFAULT_FILE_FORMAT
              + " is "
              + format
              + ", but the job writes Parquet only; set it to parquet, or write the table with"
              + " another engine");
    }
    for (Types.NestedField field : existing.columns()) {
      if (mapping.column(field.name()) == null) {
        // refused rather than left NULL: a column someone added is data someone expects, and a
        // mapping that silently never fills it would hide that from both sides
        throw incompatible(
            table,
            mapping,
            "it has column "
                + field.name()
                + ", which the mapping does not fill; add it to the mapping (an optional column"
                + " whose field is absent is NULL), or drop it from the table");
      }
    }
    UpdateSchema update = table.updateSchema();
    List<String> changes = new ArrayList<>();
    for (Column column : mapping.columns()) {
      Types.NestedField field = existing.findField(column.name());
      if (field == null) {
        if (column.required()) {
          throw incompatible(
              table,
              mapping,
              "the mapping's new column " + column.name() + " is required; add it as optional");
        }
        Type type = TableSchemas.type(column.type(), new AtomicInteger());
        update.addColumn(column.name(), type);
        changes.add("added column " + column.name() + " " + type);
      } else {
        if (field.isRequired() && !column.required()) {
          throw incompatible(
              table,
              mapping,
              "column " + column.name() + " is required in the table, optional in the mapping");
        }
        evolve(table, mapping, update, changes, column.name(), field.type(), column.type());
      }
    }
    if (!changes.isEmpty()) {
      update.commit();
      LOG.info("Evolved table {} for mapping {}: {}", table.name(), mapping.name(), changes);
      table.refresh();
    }
    return table;
  }

  /**
   * Evolves the place {@code path} of type {@code existing} in the table to hold {@code wanted}:
   * widens a primitive type safely; adds a struct's new optional fields where the mapping has them,
   * so the table's fields stay in the mapping's order.
   */
  private static void evolve(
      Table table,
      Mapping mapping,
      UpdateSchema update,
      List<String> changes,
      String path,
      Type existing,
      ColumnType wanted) {
    Type type = TableSchemas.type(wanted, new AtomicInteger());
    if (existing.isPrimitiveType() && type.isPrimitiveType()) {
      if (existing.equals(type)) {
        return;
      }
      if (!TypeUtil.isPromotionAllowed(existing, type.asPrimitiveType())) {
        throw incompatible(
            table,
            mapping,
            String.format(
                "%s is %s in the table, %s in the mapping, which is not a safe widening",
                describe(path), existing, type));
      }
      update.updateColumn(path, type.asPrimitiveType());
      changes.add("widened " + describe(path) + " from " + existing + " to " + type);
      return;
    }
    if (existing.typeId() != type.typeId()) {
      throw incompatible(
          table,
          mapping,
          String.format(
              "%s is %s in the table, %s in the mapping", describe(path), existing, type));
    }
    if (existing.isListType()) {
      evolve(
          table,
          mapping,
          update,
          changes,
          path + ".element",
          existing.asListType().elementType(),
          wanted.element());
      return;
    }
    if (existing.isMapType()) {
      evolve(
          table,
          mapping,
          update,
          changes,
          path + ".value",
          existing.asMapType().valueType(),
          wanted.element());
      return;
    }
    Types.StructType struct = existing.asStructType();
    List<String> kept = new ArrayList<>();
    for (Types.NestedField field : struct.fields()) {
      boolean filled = wanted.fields().stream().anyMatch(f -> f.name().equals(field.name()));
      if (!filled) {
        throw incompatible(
            table,
            mapping,
            "it has field " + path + "." + field.name() + ", which the mapping does not fill");
      }
      kept.add(field.name());
    }
    List<String> order = new ArrayList<>();
    String previous = null;
    for (ColumnType.Field field : wanted.fields()) {
      String fieldPath = path + "." + field.name();
      Types.NestedField current = struct.field(field.name());
      if (current == null) {
        if (field.required()) {
          throw incompatible(
              table,
              mapping,
              "the mapping's new field " + fieldPath + " is required; add it as optional");
        }
        Type added = TableSchemas.type(field.type(), new AtomicInteger());
        update.addColumn(path, field.name(), added);
        if (previous == null) {
          update.moveFirst(fieldPath);
        } else {
          update.moveAfter(fieldPath, path + "." + previous);
        }
        changes.add("added field " + fieldPath + " " + added);
      } else {
        if (current.isRequired() && !field.required()) {
          throw incompatible(
              table,
              mapping,
              "field " + fieldPath + " is required in the table, optional in the mapping");
        }
        order.add(field.name());
        evolve(table, mapping, update, changes, fieldPath, current.type(), field.type());
      }
      previous = field.name();
    }
    if (!order.equals(kept)) {
      throw incompatible(
          table,
          mapping,
          "the fields of "
              + path
              + " are "
              + kept
              + " in the table, in another order in the mapping");
    }
  }

  private static String describe(String path) {
    return (path.contains(".") ? "field " : "column ") + path;
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

  private static IncompatibleTableException incompatible(
      Table table, Mapping mapping, String problem) {
    return new IncompatibleTableException(
        "Cannot write to table "
            + table.name()
            + " with mapping "
            + mapping.name()
            + ": "
            + problem);
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
