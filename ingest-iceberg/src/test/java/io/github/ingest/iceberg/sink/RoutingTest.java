package io.github.ingest.iceberg.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.iceberg.TestCatalogs;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.nio.file.Path;
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
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows routed to the writers by partition: binary rows on the exchange, a hash of the values. */
class RoutingTest {

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.StringType.get()),
          Types.NestedField.required(2, "ts", Types.TimestampType.withZone()));

  @TempDir Path dir;

  private ReleasingJdbcCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    catalog = TestCatalogs.onDisk(dir);
    table =
        catalog.createTable(
            TableIdentifier.of("lake", "t"),
            SCHEMA,
            PartitionSpec.builderFor(SCHEMA).day("ts").identity("id").build(),
            Map.of(TableProperties.WRITE_DISTRIBUTION_MODE, "hash"));
  }

  @AfterEach
  void closeCatalog() throws Exception {
    catalog.close();
  }

  @Test
  void rowsTypedOnlyAsRowDataCrossTheExchangeAsBinaryRowsNotThroughKryo() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<RowData> rows = rowsTypedAsRowData(env);

    DataStream<RowData> routed =
        IcebergBatchSink.distributed(rows, table, StreamExchangeMode.HYBRID_SELECTIVE);

    assertThat(routed.getType()).isInstanceOf(InternalTypeInfo.class);
    assertThat(routed.getTransformation()).isInstanceOf(PartitionTransformation.class);
    assertThat(((PartitionTransformation<RowData>) routed.getTransformation()).getExchangeMode())
        .isEqualTo(StreamExchangeMode.HYBRID_SELECTIVE);
  }

  @Test
  void rowsCrossAPipelinedExchangeWhenAsked() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

    DataStream<RowData> routed =
        IcebergBatchSink.distributed(rowsTypedAsRowData(env), table, StreamExchangeMode.PIPELINED);

    assertThat(((PartitionTransformation<RowData>) routed.getTransformation()).getExchangeMode())
        .isEqualTo(StreamExchangeMode.PIPELINED);
  }

  @Test
  void aTableWithoutHashDistributionGetsTheRowsAsTheyAre() {
    table.updateProperties().set(TableProperties.WRITE_DISTRIBUTION_MODE, "none").commit();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DataStream<RowData> rows = rowsTypedAsRowData(env);

    assertThat(IcebergBatchSink.distributed(rows, table, StreamExchangeMode.HYBRID_SELECTIVE))
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

  private static DataStream<RowData> rowsTypedAsRowData(StreamExecutionEnvironment env) {
    return env.fromSequence(1, 2)
        .map(i -> row("a", "2026-11-23T10:00:00Z"), TypeInformation.of(RowData.class));
  }

  private static RowData row(String id, String timestamp) {
    return GenericRowData.of(
        StringData.fromString(id), TimestampData.fromInstant(Instant.parse(timestamp)));
  }
}
