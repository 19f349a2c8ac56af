package io.github.ingest.iceberg.table;

import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.ColumnType;
import io.github.ingest.core.mapping.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evolves an existing table to hold a mapping's rows, in one schema update: new optional columns
 * and struct fields (in the mapping's order), safe widenings of primitive types; top-level columns
 * and nested fields follow the same rules. Anything else is refused ({@link
 * IncompatibleTableException}), naming the column or field.
 */
final class SchemaEvolution {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolution.class);

  private final Table table;
  private final Mapping mapping;
  private final UpdateSchema update;
  private final List<String> changes = new ArrayList<>();

  private SchemaEvolution(Table table, Mapping mapping) {
    this.table = table;
    this.mapping = mapping;
    this.update = table.updateSchema();
  }

  /** {@code table}, evolved to hold {@code mapping}'s rows. */
  static Table evolve(Table table, Mapping mapping) {
    return new SchemaEvolution(table, mapping).run();
  }

  private Table run() {
    Schema existing = table.schema();
    String format =
        table.properties().getOrDefault(TableProperties.DEFAULT_FILE_FORMAT, "parquet").trim();
    if (!"parquet".equalsIgnoreCase(format)) {
      throw incompatible(
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
            "it has column "
                + field.name()
                + ", which the mapping does not fill; add it to the mapping (an optional column"
                + " whose field is absent is NULL), or drop it from the table");
      }
    }
    for (Column column : mapping.columns()) {
      Types.NestedField field = existing.findField(column.name());
      if (field == null) {
        if (column.required()) {
          throw incompatible(
              "the mapping's new column " + column.name() + " is required; add it as optional");
        }
        Type type = TableSchemas.type(column.type(), new AtomicInteger());
        update.addColumn(column.name(), type);
        changes.add("added column " + column.name() + " " + type);
      } else {
        if (field.isRequired() && !column.required()) {
          throw incompatible(
              "column " + column.name() + " is required in the table, optional in the mapping");
        }
        evolve(column.name(), field.type(), column.type());
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
  private void evolve(String path, Type existing, ColumnType wanted) {
    Type type = TableSchemas.type(wanted, new AtomicInteger());
    if (existing.isPrimitiveType() && type.isPrimitiveType()) {
      if (existing.equals(type)) {
        return;
      }
      if (!TypeUtil.isPromotionAllowed(existing, type.asPrimitiveType())) {
        throw incompatible(
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
          String.format(
              "%s is %s in the table, %s in the mapping", describe(path), existing, type));
    }
    if (existing.isListType()) {
      evolve(path + ".element", existing.asListType().elementType(), wanted.element());
      return;
    }
    if (existing.isMapType()) {
      evolve(path + ".value", existing.asMapType().valueType(), wanted.element());
      return;
    }
    Types.StructType struct = existing.asStructType();
    List<String> kept = new ArrayList<>();
    for (Types.NestedField field : struct.fields()) {
      boolean filled = wanted.fields().stream().anyMatch(f -> f.name().equals(field.name()));
      if (!filled) {
        throw incompatible(
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
              "field " + fieldPath + " is required in the table, optional in the mapping");
        }
        order.add(field.name());
        evolve(fieldPath, current.type(), field.type());
      }
      previous = field.name();
    }
    if (!order.equals(kept)) {
      throw incompatible(
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

  private IncompatibleTableException incompatible(String problem) {
    return new IncompatibleTableException(
        "Cannot write to table "
            + table.name()
            + " with mapping "
            + mapping.name()
            + ": "
            + problem);
  }
}
