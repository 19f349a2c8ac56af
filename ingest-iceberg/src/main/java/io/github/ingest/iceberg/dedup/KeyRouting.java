package io.github.ingest.iceberg.dedup;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.Partitioner;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.StreamExchangeMode;
import org.apache.flink.streaming.runtime.partitioner.CustomPartitionerWrapper;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/**
 * How records reach deduplication: each row of the table followed by its record's coordinates,
 * routed by the hash of its business key, so that every record of a key reaches one task, and that
 * task reads only the table's keys of its own hashes.
 */
public final class KeyRouting {

  private KeyRouting() {}

  /** The task of {@code channels} that the key of hash {@code keyHash} is routed to. */
  public static int channel(long keyHash, int channels) {
    return (int) Math.floorMod(keyHash, (long) channels);
  }

  /** The hash of the business key of a row of {@code table} (coordinates may follow). */
  public static KeyHash keyHash(Table table, Deduplication dedup) {
    return new KeyHash(FlinkSchemaUtil.convert(table.schema()), dedup.keyPositions());
  }

  /** The key hash of a row, for routing its record. */
  public static final class KeyHash implements Serializable {
    private static final long serialVersionUID = 1L;
    private final RowType rowType;
    private final int[] positions;
    private transient RowDigest digest;

    KeyHash(RowType rowType, int[] positions) {
      this.rowType = rowType;
      this.positions = positions;
    }

    /** The hash, or 0 for a row whose key has a null. */
    public long of(RowData row) {
      if (digest == null) {
        digest = new RowDigest(rowType, positions);
      }
      return digest.hasNull(row) ? 0 : digest.of(row);
    }
  }

  /**
   * The type of deduplication's input: {@code table}'s row, then the record's Kafka partition
   * (int), offset and timestamp (longs), {@link DedupOperator#COORDINATES} fields.
   */
  public static RowType inputType(Table table) {
    RowType row = FlinkSchemaUtil.convert(table.schema());
    List<RowType.RowField> fields = new ArrayList<>(row.getFields());
    fields.add(new RowType.RowField("kafka_partition", new IntType(false)));
    fields.add(new RowType.RowField("kafka_offset", new BigIntType(false)));
    fields.add(new RowType.RowField("kafka_timestamp", new BigIntType(false)));
    return new RowType(false, fields);
  }

  /**
   * {@code rows} (of {@link #inputType}) routed by key to {@code parallelism} tasks of {@code
   * operator} through {@code exchange}; the result is the rows of new keys, of {@code table}'s
   * type, with the side outputs {@link DedupOperator#DEAD_LETTERS} and {@link
   * DedupOperator#COUNTS}.
   */
  public static SingleOutputStreamOperator<RowData> deduplicated(
      DataStream<RowData> rows,
      DedupOperator operator,
      Table table,
      Deduplication dedup,
      int parallelism,
      StreamExchangeMode exchange) {
    KeyHash hash = keyHash(table, dedup);
    KeySelector<RowData, Long> byKey = hash::of;
    Partitioner<Long> channels = KeyRouting::channel;
    DataStream<RowData> routed =
        new DataStream<>(
            rows.getExecutionEnvironment(),
            new PartitionTransformation<>(
                rows.getTransformation(),
                new CustomPartitionerWrapper<>(channels, byKey),
                exchange));
    return routed
        .transform(
            "deduplicate by " + String.join(", ", dedup.keyColumns()),
            InternalTypeInfo.of(FlinkSchemaUtil.convert(table.schema())),
            operator)
        .uid("deduplicate")
        .setParallelism(parallelism);
  }
}
