package io.github.ingest.iceberg.table;

import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.ColumnType;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.PartitionField;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** The Iceberg schema a mapping defines. */
public final class TableSchemas {

  private TableSchemas() {}

  /**
   * One field per column, in order, with ids from 1 and the ids of nested fields after them;
   * required columns and struct fields are required fields, list elements and map values optional.
   */
  public static Schema schema(Mapping mapping) {
    List<Types.NestedField> fields = new ArrayList<>();
    AtomicInteger ids = new AtomicInteger(mapping.columns().size());
    int id = 1;
    for (Column column : mapping.columns()) {
      fields.add(
          Types.NestedField.of(id++, !column.required(), column.name(), type(column.type(), ids)));
    }
    return new Schema(fields);
  }

  /** The partition spec of {@code fields} over {@code schema}; unpartitioned if empty. */
  public static PartitionSpec spec(Schema schema, List<PartitionField> fields) {
    PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
    for (PartitionField field : fields) {
      switch (field.transform()) {
        case IDENTITY:
          spec.identity(field.column());
          break;
        case YEAR:
          spec.year(field.column());
          break;
        case MONTH:
          spec.month(field.column());
          break;
        case DAY:
          spec.day(field.column());
          break;
        case HOUR:
          spec.hour(field.column());
          break;
        case BUCKET:
          spec.bucket(field.column(), field.parameter());
          break;
        case TRUNCATE:
          spec.truncate(field.column(), field.parameter());
          break;
        default:
          throw new IllegalArgumentException("Unsupported partition field " + field);
      }
    }
    return spec.build();
  }

  /**
   * The Iceberg type of a column type; timestamps are stored with microseconds. Nested fields take
   * their ids from {@code ids}, each one more than the last.
   */
  public static Type type(ColumnType type, AtomicInteger ids) {
    switch (type.kind()) {
      case BINARY:
        return Types.BinaryType.get();
      case JSON:
        return Types.StringType.get();
      case STRUCT:
        List<Types.NestedField> fields = new ArrayList<>();
        for (ColumnType.Field field : type.fields()) {
          fields.add(
              Types.NestedField.of(
                  ids.incrementAndGet(), !field.required(), field.name(), type(field.type(), ids)));
        }
        return Types.StructType.of(fields);
      case LIST:
        int elementId = ids.incrementAndGet();
        return Types.ListType.ofOptional(elementId, type(type.element(), ids));
      case MAP:
        int keyId = ids.incrementAndGet();
        int valueId = ids.incrementAndGet();
        return Types.MapType.ofOptional(
            keyId, valueId, Types.StringType.get(), type(type.element(), ids));
      case STRING:
        return Types.StringType.get();
      case INT:
        return Types.IntegerType.get();
      case LONG:
        return Types.LongType.get();
      case BOOLEAN:
        return Types.BooleanType.get();
      case DOUBLE:
        return Types.DoubleType.get();
      case DECIMAL:
        return Types.DecimalType.of(type.precision(), type.scale());
      case DATE:
        return Types.DateType.get();
      case TIMESTAMP:
        return Types.TimestampType.withoutZone();
      case TIMESTAMP_TZ:
        return Types.TimestampType.withZone();
      default:
        throw new IllegalArgumentException("Unsupported column type: " + type);
    }
  }
}
