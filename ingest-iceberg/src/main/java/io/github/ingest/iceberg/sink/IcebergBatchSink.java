package io.github.ingest.iceberg.sink;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.RunFiles;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.RecordCounts;
import io.github.ingest.iceberg.batch.BatchLedger;
import org.apache.flink.api.common.functions.Partitioner;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.StreamExchangeMode;
import org.apache.flink.streaming.runtime.partitioner.CustomPartitionerWrapper;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
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
import org.apache.iceberg.util.PropertyUtil;

/**
 * Appends a bounded stream of rows to an Iceberg table as one snapshot, and the batch's rejected
 * records to its dead-letter table: parallel writers produce Parquet data files whose names start
 * with the batch's log file base name, and a single committer reconciles the counts, applies the
 * bad-record threshold and commits once the input has ended.
 *
 * <pre>{@code
 * IcebergBatchSink.builder(rows, table, tableLoader)
 *     .batch(batchState, plannedFrom)
 *     .counts(counts)
 *     .deadLetters(deadLetterRows, deadLetterTable, deadLetterLoader)
 *     .policy(policy)
 *     .append();
 * }</pre>
 */
public final class IcebergBatchSink {

  /** The exchange of rows routed by partition unless {@link #exchange} says otherwise. */
  public static final StreamExchangeMode DEFAULT_EXCHANGE = StreamExchangeMode.HYBRID_SELECTIVE;

  private final DataStream<RowData> rows;
  private final Table table;
  private final TableLoader tableLoader;
  private BatchState batch;
  private BatchLedger.Position plannedFrom;
  private DataStream<RecordCounts> counts;
  private DataStream<RowData> deadLetterRows;
  private Table deadLetterTable;
  private TableLoader deadLetterLoader;
  private BadRecordPolicy policy = BadRecordPolicy.of(BadRecordPolicy.Action.FAIL, 0, 0);
  private Failpoints failpoints = Failpoints.NONE;
  private StreamExchangeMode exchange = DEFAULT_EXCHANGE;
  private Routing routing;
  private boolean keysChecked;
  private Long keysReadAt;

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
   * The batch whose state the commit records, and the position of its source it was planned from:
   * the commit succeeds only while the table's position is still that one. Its data file names
   * start with the batch's log file base name and a dash.
   */
  public IcebergBatchSink batch(BatchState newBatch, BatchLedger.Position newPlannedFrom) {
    this.batch = newBatch;
    this.plannedFrom = newPlannedFrom;
    return this;
  }

  /** The read and rejected counts of every mapper; read must equal written plus rejected. */
  public IcebergBatchSink counts(DataStream<RecordCounts> newCounts) {
    this.counts = newCounts;
    return this;
  }

  /**
   * The snapshot of the table that the batch's deduplication read business keys from (null: the
   * table had none): the commit fails if rows were added to the table after it.
   */
  public IcebergBatchSink keysReadAt(Long snapshotId) {
    this.keysChecked = true;
    this.keysReadAt = snapshotId;
    return this;
  }

  /** Rejected records, as rows of {@code deadLetters}' schema, for that table. */
  public IcebergBatchSink deadLetters(
      DataStream<RowData> newRows, Table deadLetters, TableLoader loader) {
    this.deadLetterRows = newRows;
    this.deadLetterTable = deadLetters;
    this.deadLetterLoader = loader;
    return this;
  }

  /** The threshold of bad records beyond which the batch fails instead of committing. */
  public IcebergBatchSink policy(BadRecordPolicy newPolicy) {
    this.policy = newPolicy;
    return this;
  }

  /** Points where the committer halts, waits or fails, for tests of recovery; none by default. */
  public IcebergBatchSink failpoints(Failpoints newFailpoints) {
    this.failpoints = newFailpoints;
    return this;
  }

  /**
   * How the rows reach the writers ({@link Routing#choose}); by default what the table's {@code
   * write.distribution-mode} asks for ({@link Routing#ofTable}). Dead letters always go as their
   * table asks.
   */
  public IcebergBatchSink routing(Routing newRouting) {
    this.routing = newRouting;
    return this;
  }

  /**
   * How rows cross to the writer of their partition (the table's {@code write.distribution-mode}
   * {@code hash}): {@link StreamExchangeMode#HYBRID_SELECTIVE} by default, which the adaptive batch
   * scheduler, Flink's default for batch jobs, accepts; {@link StreamExchangeMode#PIPELINED} under
   * the default scheduler, so that the writers hold the mappers back instead of the exchange
   * spilling what they have not consumed.
   */
  public IcebergBatchSink exchange(StreamExchangeMode newExchange) {
    this.exchange = newExchange;
    return this;
  }

  public DataStreamSink<Void> append() {
    if (batch == null || counts == null) {
      throw new IllegalStateException("Cannot append without a batch and counts");
    }
    DataStream<CommitInput> inputs =
        counts
            .map(CommitInput::counts)
            .returns(TypeInformation.of(CommitInput.class))
            .name("counts")
            .setParallelism(counts.getParallelism())
            .union(
                write(
                    rows,
                    table,
                    routing != null ? routing : Routing.ofTable(table),
                    CommitInput.Kind.ROWS,
                    "write " + table.name()));
    if (deadLetterRows != null) {
      inputs =
          inputs.union(
              write(
                  deadLetterRows,
                  deadLetterTable,
                  Routing.ofTable(deadLetterTable),
                  CommitInput.Kind.DEAD_LETTERS,
                  "write " + deadLetterTable.name()));
    }
    SingleOutputStreamOperator<Void> committed =
        inputs
            .transform(
                "commit " + table.name(),
                Types.VOID,
                new BatchCommitter(
                    tableLoader,
                    deadLetterLoader,
                    batch,
                    plannedFrom,
                    policy,
                    failpoints,
                    keysChecked,
                    keysReadAt))
            .uid("iceberg-committer")
            .setParallelism(1)
            .setMaxParallelism(1);
    return committed.addSink(new DiscardingSink<>()).name("end").setParallelism(1);
  }

  private SingleOutputStreamOperator<CommitInput> write(
      DataStream<RowData> input, Table target, Routing routed, CommitInput.Kind kind, String name) {
    // the run id in the name tells whose file an unreferenced one is, for orphan removal
    Table writeTable = SerializableTable.copyOf(prefixed(target, RunFiles.prefix(batch)));
    long targetFileSize =
        PropertyUtil.propertyAsLong(
            target.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    RowDataTaskWriterFactory writerFactory =
        new RowDataTaskWriterFactory(
            writeTable,
            FlinkSchemaUtil.convert(target.schema()),
            targetFileSize,
            FileFormat.PARQUET,
            target.properties(),
            null,
            false);
    SingleOutputStreamOperator<CommitInput> written =
        distributed(input, target, routed, exchange)
            .transform(
                name,
                TypeInformation.of(CommitInput.class),
                new DataFileWriter(writerFactory, kind))
            .uid("writer-" + kind.name().toLowerCase(java.util.Locale.ROOT));
    if (input.getParallelism() > 0) {
      // explicit, or the adaptive batch scheduler may fold all writers into one
      written.setParallelism(input.getParallelism());
    }
    return written;
  }

  /**
   * The rows as {@code routing} wants them at the writers: {@link Routing.Kind#BY_PARTITION} sends
   * all rows of a partition to one writer, so a batch writes one file per partition (and target
   * file size); {@link Routing.Kind#BY_WRITER} keeps each row with the writer chained to its
   * reader. Rows are not sorted, only routed.
   */
  static DataStream<RowData> distributed(
      DataStream<RowData> input, Table target, Routing routing, StreamExchangeMode exchange) {
    if (routing.kind() == Routing.Kind.BY_WRITER || target.spec().isUnpartitioned()) {
      return input;
    }
    Partitioner<Integer> byHash = (hash, writers) -> Math.floorMod(hash, writers);
    PartitionTransformation<RowData> routed =
        new PartitionTransformation<>(
            typed(input, target).getTransformation(),
            new CustomPartitionerWrapper<>(
                byHash, new PartitionHash(target.schema(), target.spec())),
            exchange);
    return new DataStream<>(input.getExecutionEnvironment(), routed);
  }

  /**
   * The rows with Flink's binary row serializer for the table's row type, as an exchange needs
   * them: a stream typed only as {@link RowData} would go through Kryo, which costs more than
   * mapping and writing the row together.
   */
  private static DataStream<RowData> typed(DataStream<RowData> input, Table target) {
    if (input.getType() instanceof InternalTypeInfo) {
      return input;
    }
    SingleOutputStreamOperator<RowData> typed =
        input
            .map(row -> row, InternalTypeInfo.of(FlinkSchemaUtil.convert(target.schema())))
            .name("rows of " + target.name());
    return input.getParallelism() > 0 ? typed.setParallelism(input.getParallelism()) : typed;
  }

  private static Table prefixed(Table base, String fileNamePrefix) {
    TableOperations ops = ((HasTableOperations) base).operations();
    LocationProvider locations =
        new PrefixedLocationProvider(ops.locationProvider(), fileNamePrefix);
    return new BaseTable(new LocationOverride(ops, locations), base.name());
  }
}
