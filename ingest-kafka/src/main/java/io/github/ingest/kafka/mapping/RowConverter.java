package io.github.ingest.kafka.mapping;

import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.ColumnType;
import io.github.ingest.core.mapping.Mapping;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Turns the rows of a {@link io.github.ingest.core.mapping.RecordMapper} into Flink's internal rows
 * ({@code RowData}), as the Iceberg writers take them.
 */
public final class RowConverter implements Serializable {

  private static final long serialVersionUID = 1L;

  private final ColumnType[] types;

  /** A converter for the rows of {@code mapping}. */
  public RowConverter(Mapping mapping) {
    List<Column> columns = mapping.columns();
    this.types = new ColumnType[columns.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = columns.get(i).type();
    }
  }

  /** The row of {@code values}, one per column of the mapping, as the mapper returns them. */
  public RowData toRowData(Object[] values) {
    GenericRowData row = new GenericRowData(types.length);
    for (int i = 0; i < types.length; i++) {
      Object value = values[i];
      row.setField(i, value == null ? null : internal(value, types[i]));
    }
    return row;
  }

  private static Object internal(Object value, ColumnType type) {
    switch (type.kind()) {
      case JSON:
        return StringData.fromBytes(((String) value).getBytes(StandardCharsets.UTF_8));
      case STRUCT:
        Object[] fields = (Object[]) value;
        GenericRowData struct = new GenericRowData(fields.length);
        for (int i = 0; i < fields.length; i++) {
          struct.setField(i, nullable(fields[i], type.fields().get(i).type()));
        }
        return struct;
      case LIST:
        List<?> elements = (List<?>) value;
        Object[] array = new Object[elements.size()];
        for (int i = 0; i < array.length; i++) {
          array[i] = nullable(elements.get(i), type.element());
        }
        return new GenericArrayData(array);
      case MAP:
        Map<StringData, Object> map = new LinkedHashMap<>();
        ((Map<?, ?>) value)
            .forEach(
                (key, element) ->
                    map.put(
                        StringData.fromString((String) key), nullable(element, type.element())));
        return new GenericMapData(map);
      case STRING:
        // the JDK's encoder, not Flink's lazy one with its thread-local buffer: the writer needs
        // bytes
        return StringData.fromBytes(((String) value).getBytes(StandardCharsets.UTF_8));
      case DECIMAL:
        return DecimalData.fromBigDecimal((BigDecimal) value, type.precision(), type.scale());
      case DATE:
        return (int) ((LocalDate) value).toEpochDay();
      case TIMESTAMP:
        return TimestampData.fromLocalDateTime((LocalDateTime) value);
      case TIMESTAMP_TZ:
        return TimestampData.fromInstant((Instant) value);
      default:
        return value;
    }
  }

  private static Object nullable(Object value, ColumnType type) {
    return value == null ? null : internal(value, type);
  }
}
