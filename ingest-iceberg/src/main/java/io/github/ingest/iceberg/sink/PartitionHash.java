package io.github.ingest.iceberg.sink;

import java.util.Objects;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.RowDataWrapper;

/**
 * A hash of the table partition a row belongs to: equal for rows of one partition in every task,
 * since it is computed from the partition's values (integers, longs, strings, decimals, byte
 * buffers), never from object identity. The values, not the partition's path: formatting a path
 * ({@code ts_day=2026-11-23}) for each row cost more than writing it.
 */
final class PartitionHash implements KeySelector<RowData, Integer> {

  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private final PartitionSpec spec;

  private transient PartitionKey key;
  private transient RowDataWrapper wrapper;

  PartitionHash(Schema schema, PartitionSpec spec) {
    this.schema = schema;
    this.spec = spec;
  }

  @Override
  public Integer getKey(RowData row) {
    if (key == null) {
      key = new PartitionKey(spec, schema);
      wrapper = new RowDataWrapper(FlinkSchemaUtil.convert(schema), schema.asStruct());
    }
    key.partition(wrapper.wrap(row));
    int hash = 1;
    for (int i = 0; i < key.size(); i++) {
      hash = 31 * hash + Objects.hashCode(key.get(i, Object.class));
    }
    return hash;
  }
}
