package io.github.ingest.iceberg.sink;

import io.github.ingest.core.batch.BatchState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Appends a bounded stream of rows to an Iceberg table as one snapshot: parallel writers produce
 * Parquet data files whose names start with a batch prefix, and a single committer commits them all
 * once the input has ended.
 *
 * <pre>{@code
 * IcebergBatchSink.builder(rows, table, tableLoader).batch(batchState).append();
 * }</pre>
 */
public final class IcebergBatchSink {

  private final DataStream<RowData> rows;
  private final Table table;
  private final TableLoader tableLoader;
  private BatchState batch;

  private IcebergBatchSink(DataStream<RowData> rows, Table table, TableLoader tableLoader) {
    this.rows = rows;
    this.table = table;
    this.tableLoader = tableLoader;
  }

  /**
   * A sink writing {@code rows}, whose type must be the table's schema, to {@code table}, committed
   * through a table that {@code tableLoader} loads afresh.
   */
  public static IcebergBatchSink builder(
      DataStream<RowData> rows, Table table, TableLoader tableLoader) {
    return new IcebergBatchSink(rows, table, tableLoader);
  }

  /**
   * The batch whose state the snapshot records; its data file names start with the batch's log file
   * base name and a dash.
   */
  public IcebergBatchSink batch(BatchState newBatch) {
    this.batch = newBatch;
    return this;
  }

  public DataStreamSink<Void> append() {
    if (batch == null) {
      throw new IllegalStateException("Cannot append without a batch: call batch(...) first");
    }
    String prefix =
        batch.logFileName().substring(0, batch.logFileName().length() - ".log".length());
    Table writeTable = SerializableTable.copyOf(prefixed(table, prefix));
    long targetFileSize =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    RowDataTaskWriterFactory writerFactory =
        new RowDataTaskWriterFactory(
            writeTable,
            FlinkSchemaUtil.convert(table.schema()),
            targetFileSize,
            FileFormat.PARQUET,
            table.properties(),
            null,
            false);
    SingleOutputStreamOperator<WriteResult> written =
        rows.transform(
                "write " + table.name(),
                TypeInformation.of(WriteResult.class),
                new DataFileWriter(writerFactory))
            .uid("iceberg-writer");
    if (rows.getParallelism() > 0) {
      // explicit, or the adaptive batch scheduler may fold all writers into one
      written.setParallelism(rows.getParallelism());
    }
    SingleOutputStreamOperator<Void> committed =
        written
            .transform("commit " + table.name(), Types.VOID, new BatchCommitter(tableLoader, batch))
            .uid("iceberg-committer")
            .setParallelism(1)
            .setMaxParallelism(1);
    return committed.addSink(new DiscardingSink<>()).name("end").setParallelism(1);
  }

  private static Table prefixed(Table base, String fileNamePrefix) {
    TableOperations ops = ((HasTableOperations) base).operations();
    LocationProvider locations =
        new PrefixedLocationProvider(ops.locationProvider(), fileNamePrefix);
    return new BaseTable(new LocationOverride(ops, locations), base.name());
  }
}
