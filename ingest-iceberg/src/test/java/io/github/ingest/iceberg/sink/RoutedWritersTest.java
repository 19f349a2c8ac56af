package io.github.ingest.iceberg.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.testing.TestBatches;
import io.github.ingest.core.internal.RecordCounts;
import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink on a local Flink with two readers and two writers, committing into a real table: each
 * routing writes the files it promises for a batch whose rows all fall into one day.
 */
class RoutedWritersTest {

  private static final TableIdentifier TABLE = TableIdentifier.of("lake", "t");
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "ts", Types.TimestampType.withZone()));
  private static final long RECORDS = 10_000;

  @RegisterExtension final TestCatalog store = TestCatalog.onDisk();

  private ReleasingJdbcCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    catalog = store.catalog();
    table =
        catalog.createTable(
            TABLE,
            SCHEMA,
            PartitionSpec.builderFor(SCHEMA).day("ts").build(),
            Map.of(TableProperties.WRITE_DISTRIBUTION_MODE, "hash"));
  }

  @Test
  void aSmallBatchRoutedByPartitionWritesOneFileForItsDay() throws Exception {
    Routing routing = Routing.choose(Routing.Choice.AUTO, table, RECORDS, 2);
    assertThat(routing.kind()).isEqualTo(Routing.Kind.BY_PARTITION);

    List<DataFile> files = write(routing);

    assertThat(files).hasSize(1);
    assertThat(files.get(0).recordCount()).isEqualTo(RECORDS);
  }

  @Test
  void byWriterEveryWriterWritesItsShareOfOneDay() throws Exception {
    List<DataFile> files = write(Routing.of(Routing.Kind.BY_WRITER, "a one-day backlog"));

    assertThat(files).hasSize(2);
    assertThat(files).allSatisfy(file -> assertThat(file.recordCount()).isGreaterThan(0));
    assertThat(files.stream().mapToLong(DataFile::recordCount).sum()).isEqualTo(RECORDS);
    assertThat(files.stream().map(file -> file.partition().toString()).distinct()).hasSize(1);
  }

  /** Runs a batch of {@link #RECORDS} rows of one day, read by two readers; the files it added. */
  private List<DataFile> write(Routing routing) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(2);
    long day = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    DataStream<RowData> rows =
        env.fromSequence(1, RECORDS)
            .map(
                i ->
                    (RowData)
                        GenericRowData.of(
                            i, TimestampData.fromEpochMillis(day + i * 1_000 % 86_400_000)),
                InternalTypeInfo.of(FlinkSchemaUtil.convert(SCHEMA)))
            .setParallelism(2);
    DataStream<RecordCounts> counts =
        env.fromElements(RecordCounts.of(RECORDS, 0, null)).setParallelism(1);
    IcebergBatchSink.builder(rows, table, loader())
        .batch(batch(), BatchLedger.newSource())
        .counts(counts)
        .routing(routing)
        .append();
    env.execute();

    table.refresh();
    List<DataFile> added = new ArrayList<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(added::add);
    return added;
  }

  private TableLoader loader() {
    return TableLoader.fromCatalog(
        CatalogLoader.custom(
            "ingest",
            store.properties(),
            new Configuration(),
            ReleasingJdbcCatalog.class.getName()),
        TABLE);
  }

  private static BatchState batch() {
    return TestBatches.batch(TestBatches.SOURCE, 1, Map.of(0, 0L), Map.of(0, RECORDS));
  }
}
