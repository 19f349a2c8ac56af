package io.github.ingest.iceberg.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.StreamExchangeMode;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which routing a planned batch gets, and rows routed to the writers by partition: binary rows on
 * the exchange, a hash of the values.
 */
class RoutingTest {

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.StringType.get()),
          Types.NestedField.required(2, "ts", Types.TimestampType.withZone()));

  @RegisterExtension final TestCatalog store = TestCatalog.onDisk();

  private ReleasingJdbcCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    catalog = store.catalog();
    table =
        catalog.createTable(
            TableIdentifier.of("lake", "t"),
            SCHEMA,
            PartitionSpec.builderFor(SCHEMA).day("ts").identity("id").build(),
            Map.of(TableProperties.WRITE_DISTRIBUTION_MODE, "hash"));
  }

  @Test
  void aSmallBatchOfANewTableGoesByPartitionOnTheAssumedRecordSize() {
    Routing routing = Routing.choose(Routing.Choice.AUTO, table, 20_000, 2);

    assertThat(routing.kind()).isEqualTo(Routing.Kind.BY_PARTITION);
    assertThat(routing.reason())
        .isEqualTo(
            "an estimated 1.9 MiB (20,000 offsets at 100 bytes a record assumed, the table has no"
                + " data yet) over 1 partition and 2 writers is less than a row group (128 MiB)"
                + " a file");
  }

  @Test
  void aBacklogThatFillsARowGroupOnEachWriterGoesByWriter() {
    table.updateProperties().set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "33554432").commit();

    Routing routing = Routing.choose(Routing.Choice.AUTO, table, 1_000_000, 2);

    assertThat(routing.kind()).isEqualTo(Routing.Kind.BY_WRITER);
    assertThat(routing.reason())
        .startsWith("an estimated 95 MiB")
        .endsWith("fills a row group (32 MiB) a file");
  }

  @Test
  void theEstimateTakesTheTablesBytesARecordAndThePartitionsOfItsLastAppend() {
    table.updateProperties().set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "33554432").commit();
    // 1,000 bytes a record, in 4 partitions
    table
        .newAppend()
        .appendFile(file("ts_day=2026-11-23/id=a", 1_000))
        .appendFile(file("ts_day=2026-11-23/id=b", 1_000))
        .appendFile(file("ts_day=2026-11-23/id=c", 1_000))
        .appendFile(file("ts_day=2026-11-23/id=d", 1_000))
        .commit();

    // 100 MB over 4 partitions and 2 writers: 12.5 MB a file
    Routing small = Routing.choose(Routing.Choice.AUTO, table, 100_000, 2);
    // 400 MB: 50 MB a file
    Routing large = Routing.choose(Routing.Choice.AUTO, table, 400_000, 2);

    assertThat(small.kind()).isEqualTo(Routing.Kind.BY_PARTITION);
    assertThat(small.reason())
        .contains("at 1000 bytes a record in the table")
        .contains("over 4 partition(s), as the last append");
    assertThat(large.kind()).isEqualTo(Routing.Kind.BY_WRITER);
  }

  @Test
  void oneWriterATableWithoutHashOrPartitionsAndAForcedChoiceDecideAlone() {
    assertThat(Routing.choose(Routing.Choice.AUTO, table, 10, 1).kind())
        .isEqualTo(Routing.Kind.BY_WRITER);
    assertThat(Routing.choose(Routing.Choice.WRITER, table, 10, 2).kind())
        .isEqualTo(Routing.Kind.BY_WRITER);
    assertThat(Routing.choose(Routing.Choice.PARTITION, table, 100_000_000, 2).kind())
        .isEqualTo(Routing.Kind.BY_PARTITION);

    table.updateProperties().set(TableProperties.WRITE_DISTRIBUTION_MODE, "none").commit();
    assertThat(Routing.choose(Routing.Choice.AUTO, table, 10, 2))
        .hasToString("by writer: the table's write.distribution-mode is none");
  }

  @Test
  void anUnpartitionedTableGoesByWriterEvenWhenPartitionIsForced() {
    Table flat = catalog.createTable(TableIdentifier.of("lake", "flat"), SCHEMA);

    assertThat(Routing.choose(Routing.Choice.PARTITION, flat, 100_000_000, 2))
        .hasToString("by writer: the table is not partitioned");
  }

  @Test
  void rowsRoutedByWriterStayWithTheirReader() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<RowData> rows = rowsTypedAsRowData(env);

    assertThat(
            IcebergBatchSink.distributed(
                rows,
                table,
                Routing.of(Routing.Kind.BY_WRITER, "test"),
                StreamExchangeMode.PIPELINED))
        .isSameAs(rows);
  }

  @Test
  void rowsTypedOnlyAsRowDataCrossTheExchangeAsBinaryRowsNotThroughKryo() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<RowData> rows = rowsTypedAsRowData(env);

    DataStream<RowData> routed =
        IcebergBatchSink.distributed(
            rows, table, Routing.ofTable(table), StreamExchangeMode.HYBRID_SELECTIVE);

    assertThat(routed.getType()).isInstanceOf(InternalTypeInfo.class);
    assertThat(routed.getTransformation()).isInstanceOf(PartitionTransformation.class);
    assertThat(((PartitionTransformation<RowData>) routed.getTransformation()).getExchangeMode())
        .isEqualTo(StreamExchangeMode.HYBRID_SELECTIVE);
  }

  @Test
  void rowsCrossAPipelinedExchangeWhenAsked() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

    DataStream<RowData> routed =
        IcebergBatchSink.distributed(
            rowsTypedAsRowData(env), table, Routing.ofTable(table), StreamExchangeMode.PIPELINED);

    assertThat(((PartitionTransformation<RowData>) routed.getTransformation()).getExchangeMode())
        .isEqualTo(StreamExchangeMode.PIPELINED);
  }

  @Test
  void aTableWithoutHashDistributionGetsTheRowsAsTheyAre() {
    table.updateProperties().set(TableProperties.WRITE_DISTRIBUTION_MODE, "none").commit();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<RowData> rows = rowsTypedAsRowData(env);

    assertThat(
            IcebergBatchSink.distributed(
                rows, table, Routing.ofTable(table), StreamExchangeMode.HYBRID_SELECTIVE))
        .isSameAs(rows);
  }

  @Test
  void rowsOfOnePartitionHashAlikeInEveryTaskAndOthersApart() throws Exception {
    PartitionHash one = new PartitionHash(table.schema(), table.spec());
    // another task's copy, as Flink ships it
    PartitionHash other = InstantiationUtil.clone(one);

    int morning = one.getKey(row("a", "2026-11-23T01:00:00Z"));
    assertThat(other.getKey(row("a", "2026-11-23T23:59:59Z"))).isEqualTo(morning);
    assertThat(one.getKey(row("a", "2026-11-24T00:00:00Z"))).isNotEqualTo(morning);
    assertThat(one.getKey(row("b", "2026-11-23T01:00:00Z"))).isNotEqualTo(morning);
  }

  private DataFile file(String partition, long records) {
    return DataFiles.builder(table.spec())
        .withPath(store.dir().resolve(partition.replace('/', '_') + ".parquet").toString())
        .withPartitionPath(partition)
        .withFileSizeInBytes(records * 1_000)
        .withRecordCount(records)
        .build();
  }

  private static DataStream<RowData> rowsTypedAsRowData(StreamExecutionEnvironment env) {
    return env.fromSequence(1, 2)
        .map(i -> row("a", "2026-11-23T10:00:00Z"), TypeInformation.of(RowData.class));
  }

  private static RowData row(String id, String timestamp) {
    return GenericRowData.of(
        StringData.fromString(id), TimestampData.fromInstant(Instant.parse(timestamp)));
  }
}
