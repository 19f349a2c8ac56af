package io.github.ingest.iceberg.sink;

import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.RowDataWrapper;

/** The table partition a row belongs to, as its path ({@code bln_chg_timestamp_day=2026-11-23}). */
final class PartitionPath implements KeySelector<RowData, String> {

  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private final PartitionSpec spec;

  private transient PartitionKey key;
  private transient RowDataWrapper wrapper;

  PartitionPath(Schema schema, PartitionSpec spec) {
    this.schema = schema;
    this.spec = spec;
  }

  @Override
  public String getKey(RowData row) {
    if (key == null) {
      RowType type = FlinkSchemaUtil.convert(schema);
      key = new PartitionKey(spec, schema);
      wrapper = new RowDataWrapper(type, schema.asStruct());
    }
    key.partition(wrapper.wrap(row));
    return key.toPath();
  }
}
