package io.github.ingest.iceberg.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The writer operator on Flink's operator test harness, writing real Parquet files. */
class DataFileWriterTest {

  @RegisterExtension final TestCatalog store = TestCatalog.onDisk();

  private ReleasingJdbcCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    catalog = store.catalog();
    table =
        catalog.createTable(
            TableIdentifier.of("lake", "t"),
            new Schema(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "name", Types.StringType.get())));
  }

  @Test
  void sendsItsFilesToTheCommitterAtTheEndOfItsInput() throws Exception {
    try (OneInputStreamOperatorTestHarness<RowData, CommitInput> harness = harness()) {
      harness.open();
      harness.processElement(new StreamRecord<>(row(1, "a")));
      harness.processElement(new StreamRecord<>(row(2, null)));
      harness.endInput();

      List<CommitInput> sent = harness.extractOutputValues();
      assertThat(sent).hasSize(1);
      assertThat(sent.get(0).kind).isEqualTo(CommitInput.Kind.ROWS);
      DataFile[] files = sent.get(0).files.dataFiles();
      assertThat(files).hasSize(1);
      assertThat(files[0].recordCount()).isEqualTo(2);
      assertThat(files[0].format()).isEqualTo(FileFormat.PARQUET);
      assertThat(Path.of(files[0].path().toString().replaceFirst("^file:", ""))).exists();
    }
  }

  @Test
  void aWriterThatStopsBeforeTheEndOfItsInputLeavesNoFile() throws Exception {
    try (OneInputStreamOperatorTestHarness<RowData, CommitInput> harness = harness()) {
      harness.open();
      harness.processElement(new StreamRecord<>(row(1, "a")));
    }
    assertThat(parquetFiles()).isEmpty();
  }

  private OneInputStreamOperatorTestHarness<RowData, CommitInput> harness() throws Exception {
    RowDataTaskWriterFactory factory =
        new RowDataTaskWriterFactory(
            SerializableTable.copyOf(table),
            FlinkSchemaUtil.convert(table.schema()),
            128L * 1024 * 1024,
            FileFormat.PARQUET,
            table.properties(),
            null,
            false);
    return new OneInputStreamOperatorTestHarness<>(
        new DataFileWriter(factory, CommitInput.Kind.ROWS));
  }

  private static RowData row(long id, String name) {
    return GenericRowData.of(id, name == null ? null : StringData.fromString(name));
  }

  private List<Path> parquetFiles() throws Exception {
    Path data = store.dir().resolve("warehouse/lake/t/data");
    if (!Files.exists(data)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(data)) {
      return files
          .filter(file -> file.toString().endsWith(".parquet"))
          .collect(Collectors.toList());
    }
  }
}
