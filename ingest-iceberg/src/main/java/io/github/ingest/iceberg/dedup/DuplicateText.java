package io.github.ingest.iceberg.dedup;

import org.apache.flink.table.data.RowData;

/** The words of a duplicate's and a conflict's reason: the key, the values, what differs. */
final class DuplicateText {

  private final RowDigest keys;
  private final String[] keyNames;
  private final RowDigest compared;
  private final String[] comparedNames;
  private final RowDigest storedValues;

  /**
   * Text of rows of the table whose key columns {@code keys} and compared columns {@code compared}
   * digest, and of stored rows whose compared columns {@code storedValues} digests, in the same
   * order.
   */
  DuplicateText(Deduplication dedup, RowDigest keys, RowDigest compared, RowDigest storedValues) {
    this.keys = keys;
    this.keyNames = dedup.keyColumns().toArray(new String[0]);
    this.compared = compared;
    this.comparedNames = dedup.comparedNames().toArray(new String[0]);
    this.storedValues = storedValues;
  }

  /** The row's key, {@code bln_chg_key="..."}. */
  String key(RowData row) {
    return keys.text(row, keyNames);
  }

  /** The row's compared values, {@code name=value, ...}. */
  String values(RowData row) {
    return compared.text(row, comparedNames);
  }

  /**
   * The compared columns whose values differ from {@code stored}'s, with both values; all of this
   * record's if the stored row was not kept.
   */
  String differences(RowData row, TableKeys.Stored stored) {
    if (stored.row == null) {
      return "this record has " + values(row);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < compared.size(); i++) {
      String here = compared.text(row, i);
      String there = storedValues.text(stored.row, i);
      if (!here.equals(there)) {
        text.append(text.length() == 0 ? "" : ", ")
            .append(comparedNames[i])
            .append(' ')
            .append(there)
            .append(" in the table, ")
            .append(here)
            .append(" in this record");
      }
    }
    return text.length() == 0 ? "this record has " + values(row) : text.toString();
  }
}
