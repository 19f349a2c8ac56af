package io.github.ingest.iceberg.dedup;

import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MetadataField;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * What deduplication by business key asks of a batch: the key's columns, how far back in the table
 * a duplicate is looked for, what happens to a duplicate, and which columns tell a duplicate (the
 * same values) from a conflict (the same key with other values).
 *
 * <p>The window counts partitions of the table's first time partition field ({@code year}, {@code
 * month}, {@code day} or {@code hour} of a column): a record of partition {@code p} is compared
 * with the table's rows in partitions {@code p - window} to {@code p}; {@link #ALL} compares it
 * with the whole table.
 */
public final class Deduplication implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The window that is the whole table. */
  public static final int ALL = -1;

  /** What happens to a record whose key was written before with the same values. */
  public enum Action {
    /** Counted and logged, not stored. */
    SKIP,
    /** Stored in the dead-letter table with the batch that first wrote its key. */
    DEAD_LETTER;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final List<String> keyColumns;
  private final int[] keyPositions;
  private final int[] comparedPositions;
  private final List<String> comparedNames;
  private final int batchNumberPosition;
  private final int window;
  private final String timeTransform;
  private final Action action;

  private Deduplication(
      List<String> keyColumns,
      int[] keyPositions,
      int[] comparedPositions,
      List<String> comparedNames,
      int batchNumberPosition,
      int window,
      String timeTransform,
      Action action) {
    this.keyColumns = List.copyOf(keyColumns);
    this.keyPositions = keyPositions;
    this.comparedPositions = comparedPositions;
    this.comparedNames = List.copyOf(comparedNames);
    this.batchNumberPosition = batchNumberPosition;
    this.window = window;
    this.timeTransform = timeTransform;
    this.action = action;
  }

  /**
   * Deduplication of {@code mapping}'s rows in {@code table} by {@code keyColumns}, looking {@code
   * window} time partitions back (or {@link #ALL}).
   *
   * @throws IllegalArgumentException naming what does not fit: a key column that the table lacks or
   *     that is not a string, int or long, or a window of partitions for a table without a time
   *     partition field
   */
  public static Deduplication of(
      Mapping mapping, Table table, List<String> keyColumns, int window, Action action) {
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("A business key needs at least one column");
    }
    Schema schema = table.schema();
    List<Types.NestedField> fields = schema.columns();
    int[] keyPositions = positions(fields, keyColumns);
    for (int i = 0; i < keyColumns.size(); i++) {
      String name = keyColumns.get(i);
      int position = keyPositions[i];
      if (position < 0) {
        throw new IllegalArgumentException(
            String.format(
                "Business key column %s is not a column of table %s: its columns are %s",
                name, table.name(), names(fields)));
      }
      Type.TypeID type = fields.get(position).type().typeId();
      if (type != Type.TypeID.STRING && type != Type.TypeID.INTEGER && type != Type.TypeID.LONG) {
        throw new IllegalArgumentException(
            String.format(
                "Business key column %s of table %s is a %s; a key column must be a string, int"
                    + " or long",
                name, table.name(), fields.get(position).type()));
      }
    }
    List<Integer> compared = new ArrayList<>();
    int batchNumber = -1;
    for (Column column : mapping.columns()) {
      int position = position(fields, column.name());
      if (position < 0) {
        continue;
      }
      MetadataField metadata = column.source().metadata();
      if ((metadata == null && column.source().header() == null)
          || metadata == MetadataField.SOURCE_VALUE) {
        // what the record's key and value say; headers and metadata differ between a retry and
        // its original
        compared.add(position);
      } else if (metadata == MetadataField.BATCH_NUMBER) {
        batchNumber = position;
      }
    }
    for (int keyPosition : keyPositions) {
      if (!compared.contains(keyPosition)) {
        compared.add(keyPosition);
      }
    }
    int[] comparedPositions = compared.stream().mapToInt(Integer::intValue).toArray();
    List<String> comparedNames = new ArrayList<>();
    for (int position : comparedPositions) {
      comparedNames.add(fields.get(position).name());
    }
    PartitionField time = timeField(table);
    if (window != ALL && window < 0) {
      throw new IllegalArgumentException(
          "The deduplication window must be 0 or more partitions, or all: " + window);
    }
    if (window != ALL && time == null) {
      throw new IllegalArgumentException(
          String.format(
              "Table %s has no time partition field (year, month, day or hour of a column), so a"
                  + " window of %d partitions means nothing; set the window to all, or partition"
                  + " the table by time",
              table.name(), window));
    }
    if (window != ALL && fields.stream().noneMatch(f -> f.fieldId() == time.sourceId())) {
      throw new IllegalArgumentException(
          String.format(
              "The time partition field %s of table %s is computed from a nested column, which"
                  + " deduplication cannot read a record's partition from; set the window to all",
              time.name(), table.name()));
    }
    return new Deduplication(
        keyColumns,
        keyPositions,
        comparedPositions,
        comparedNames,
        batchNumber,
        window,
        time == null ? "" : time.transform().toString(),
        action);
  }

  /** The first partition field of {@code table}'s spec that is a time transform, or null. */
  static PartitionField timeField(Table table) {
    for (PartitionField field : table.spec().fields()) {
      String transform = field.transform().toString();
      if (transform.equals("year")
          || transform.equals("month")
          || transform.equals("day")
          || transform.equals("hour")) {
        return field;
      }
    }
    return null;
  }

  /** The positions of the columns {@code names} among {@code fields}; -1 for one not there. */
  static int[] positions(List<Types.NestedField> fields, List<String> names) {
    int[] positions = new int[names.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = position(fields, names.get(i));
    }
    return positions;
  }

  private static int position(List<Types.NestedField> fields, String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> names(List<Types.NestedField> fields) {
    List<String> names = new ArrayList<>();
    fields.forEach(field -> names.add(field.name()));
    return names;
  }

  /** The key's columns, in the order they were named. */
  public List<String> keyColumns() {
    return keyColumns;
  }

  int[] keyPositions() {
    return keyPositions.clone();
  }

  /** Positions of the columns that come from the record's value: equal in a true duplicate. */
  int[] comparedPositions() {
    return comparedPositions.clone();
  }

  /** The names of the compared columns, in the order of {@link #comparedPositions()}. */
  List<String> comparedNames() {
    return comparedNames;
  }

  /** The position of the batch-number column, or -1 if the mapping has none. */
  int batchNumberPosition() {
    return batchNumberPosition;
  }

  /** Partitions looked back, or {@link #ALL}. */
  public int window() {
    return window;
  }

  public Action action() {
    return action;
  }

  @Override
  public String toString() {
    return String.format(
        "by %s over %s, duplicates %s",
        String.join(", ", keyColumns),
        window == ALL
            ? "the whole table"
            : String.format("%d %s partition(s) back", window, timeTransform),
        action == Action.SKIP ? "skipped" : "dead-lettered");
  }
}
