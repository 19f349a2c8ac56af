package io.github.ingest.iceberg.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.RecordCounts;
import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.ColumnSource;
import io.github.ingest.core.mapping.ColumnType;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MetadataField;
import io.github.ingest.core.mapping.PartitionField;
import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.table.Tables;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.WriteResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deduplication operator on Flink's operator test harness, against a real table in a temporary
 * directory: within a batch, against the table's rows in the window, duplicates and conflicts, and
 * which files it reads.
 */
class DedupOperatorTest {

  private static final TableIdentifier TABLE = TableIdentifier.of("lake", "changes");
  private static final LocalDate DAY = LocalDate.of(2023, 3, 1);

  @RegisterExtension final TestCatalog store = TestCatalog.onDisk();

  private Table table;
  private final List<String> deadLetters = new ArrayList<>();

  @BeforeEach
  void createTable() {
    Mapping mapping =
        Mapping.builder("changes")
            .table("lake.changes")
            .column(
                Column.required(
                    "batch",
                    ColumnType.string(),
                    ColumnSource.metadata(MetadataField.BATCH_NUMBER)))
            .column(Column.required("key", ColumnType.string(), ColumnSource.field("id")))
            .column(
                Column.optional("amount", ColumnType.decimal(10, 2), ColumnSource.field("amount")))
            .column(Column.required("ts", ColumnType.timestamp(3), ColumnSource.field("ts")))
            .partitionBy(PartitionField.day("ts"))
            .build();
    table = Tables.loadOrCreate(store.catalog(), TABLE, mapping);
    this.mapping = mapping;
  }

  private Mapping mapping;

  @Test
  void keepsTheFirstRecordOfAKeyInABatchAndTellsDuplicatesFromConflicts() throws Exception {
    Run run = run(7, BadRecordPolicy.Action.DEAD_LETTER, 0, 1);

    run.process(row("1", "a", "1.00", DAY), 0, 10);
    run.process(row("1", "b", "2.00", DAY), 0, 11);
    run.process(row("1", "a", "1.00", DAY), 1, 3);
    run.process(row("1", "a", "9.99", DAY), 1, 4);
    RecordCounts counts = run.end();

    assertThat(run.keys()).containsExactly("a", "b");
    assertThat(counts.duplicates()).isEqualTo(1);
    assertThat(counts.rejected()).isEqualTo(1);
    assertThat(counts.deadLettered()).isEqualTo(2);
    assertThat(deadLetters)
        .containsExactly(
            "DUPLICATE 1:3 duplicate of key=\"a\", first read in this batch at partition 0,"
                + " offset 10",
            "CONFLICTING_DUPLICATE 1:4 key=\"a\" was first read in this batch at partition 0,"
                + " offset 10, with other values; this record has key=\"a\", amount=9.99,"
                + " ts=2023-03-01T12:00");
  }

  @Test
  void aKeyInTheTableWithinTheWindowIsADuplicateAndOutsideItIsNew() throws Exception {
    append(row("1", "a", "1.00", DAY), row("1", "b", "2.00", DAY));
    Run run = run(7, BadRecordPolicy.Action.DEAD_LETTER, 0, 1);

    run.process(row("2", "a", "1.00", DAY), 0, 1);
    // b a week later is within 7 days; with another time it is another value: a conflict
    run.process(row("2", "b", "2.00", DAY.plusDays(7)), 0, 2);
    // 8 days later the table's b is outside the window: a new record
    run.process(row("2", "b", "2.00", DAY.plusDays(8)), 0, 3);
    RecordCounts counts = run.end();

    assertThat(run.keys()).containsExactly("b");
    assertThat(counts.duplicates()).isEqualTo(1);
    assertThat(counts.rejected()).isEqualTo(1);
    assertThat(deadLetters.get(0))
        .isEqualTo("DUPLICATE 0:1 duplicate of key=\"a\", first written in batch 1");
    assertThat(deadLetters.get(1))
        .isEqualTo(
            "CONFLICTING_DUPLICATE 0:2 key=\"b\" was written in batch 1 with other values: ts"
                + " 2023-03-01T12:00 in the table, 2023-03-08T12:00 in this record");
  }

  @Test
  void anotherWritersRowsCountAndTheirFileNamesWhereTheBatchIsUnknown() throws Exception {
    append(row("written by spark", "a", "1.00", DAY));
    Run run = run(7, BadRecordPolicy.Action.DEAD_LETTER, 0, 1);

    run.process(row("2", "a", "1.00", DAY), 0, 1);
    run.end();

    assertThat(run.keys()).isEmpty();
    assertThat(deadLetters.get(0))
        .startsWith("DUPLICATE 0:1 duplicate of key=\"a\", first written in data file ")
        .endsWith(".parquet");
  }

  @Test
  void theWholeTableIsTheWindowOfAll() throws Exception {
    append(row("1", "a", "1.00", DAY));
    Run run = run(Deduplication.ALL, BadRecordPolicy.Action.DEAD_LETTER, 0, 1);

    run.process(row("2", "a", "1.00", DAY), 0, 1);
    run.process(row("2", "c", "1.00", DAY.plusYears(3)), 0, 2);
    RecordCounts counts = run.end();

    assertThat(run.keys()).containsExactly("c");
    assertThat(counts.duplicates()).isEqualTo(1);
  }

  @Test
  void readsOnlyTheKeysOfFilesWhoseBoundsHoldAKeyAndOnlyFilesWithAKeyWhole() throws Exception {
    List<RowData> early = new ArrayList<>();
    List<RowData> late = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      early.add(row("1", String.format("k%03d", i), "1.00", DAY));
      late.add(row("2", String.format("k%03d", 100 + i), "1.00", DAY));
    }
    append(early.toArray(new RowData[0]));
    append(late.toArray(new RowData[0]));
    Run run = run(7, BadRecordPolicy.Action.DEAD_LETTER, 0, 1);

    run.process(row("3", "k120", "1.00", DAY), 0, 1);
    run.process(row("3", "k200", "1.00", DAY), 0, 2);
    run.end();

    assertThat(run.operator.tableKeys.reads())
        .isEqualTo("1 of 2 data files' keys read, 1 read whole");
    assertThat(run.keys()).containsExactly("k200");
  }

  @Test
  void rowsAddedAfterTheSnapshotReadAreNotSeen() throws Exception {
    append(row("1", "a", "1.00", DAY));
    Long before = table.currentSnapshot().snapshotId();
    append(row("2", "b", "1.00", DAY));
    table.manageSnapshots().rollbackTo(before).commit();
    Run run = run(7, BadRecordPolicy.Action.DEAD_LETTER, 0, 1);

    run.process(row("3", "b", "1.00", DAY), 0, 1);
    run.end();

    assertThat(run.keys()).containsExactly("b");
  }

  @Test
  void aTaskKeepsOnlyTheKeysRoutedToIt() throws Exception {
    List<RowData> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(row("1", "k" + i, "1.00", DAY));
    }
    append(rows.toArray(new RowData[0]));
    Run run = run(7, BadRecordPolicy.Action.DEAD_LETTER, 1, 2);
    KeyRouting.KeyHash hash = KeyRouting.keyHash(table, dedup(7));

    for (RowData row : rows) {
      if (KeyRouting.channel(hash.of(row), 2) == 1) {
        run.process(row, 0, 1);
      }
    }
    RecordCounts counts = run.end();

    assertThat(counts.duplicates()).isBetween(1L, 39L);
    assertThat(run.operator.tableKeys.keysKept()).isEqualTo(counts.duplicates());
  }

  @Test
  void keysBeyondTheMemoryBudgetFailTheBatchWithWhatToChange() throws Exception {
    append(row("1", "a", "1.00", DAY), row("1", "b", "1.00", DAY));
    table.refresh();
    TableKeys keys =
        new TableKeys(table, table.currentSnapshot().snapshotId(), dedup(7), 0, 1, 100, () -> 0);
    KeyRouting.KeyHash hash = KeyRouting.keyHash(table, dedup(7));
    RowData probe = row("2", "a", "1.00", DAY);

    assertThatThrownBy(() -> keys.find(probe, hash.of(probe)))
        .hasMessageStartingWith("Deduplication cannot hold the business keys of its window")
        .hasMessageContaining("set dedup.window to fewer partitions")
        .hasMessageContaining("JAVA_OPTS=-Xmx");
  }

  @Test
  void aConflictFailsTheBatchWhenBadRecordsDo() throws Exception {
    append(row("1", "a", "1.00", DAY));
    Run run = run(7, BadRecordPolicy.Action.FAIL, 0, 1);

    assertThatThrownBy(() -> run.process(row("2", "a", "3.00", DAY), 0, 7))
        .hasMessage(
            "Bad record: key=\"a\" was written in batch 1 with other values: amount 1.00 in the"
                + " table, 3.00 in this record (partition 0, offset 7)");
  }

  @Test
  void theValuesOfTheRecordAreComparedNotItsHeadersOrMetadata() {
    Mapping traced =
        Mapping.builder("traced")
            .table("lake.traced")
            .column(
                Column.required(
                    "batch",
                    ColumnType.string(),
                    ColumnSource.metadata(MetadataField.BATCH_NUMBER)))
            .column(
                Column.required(
                    "offset",
                    ColumnType.bigint(),
                    ColumnSource.metadata(MetadataField.SOURCE_OFFSET)))
            .column(Column.required("key", ColumnType.string(), ColumnSource.field("id")))
            .column(Column.optional("trace", ColumnType.string(), ColumnSource.header("trace")))
            .column(Column.optional("tenant", ColumnType.string(), ColumnSource.keyField("tenant")))
            .column(Column.required("ts", ColumnType.timestamp(3), ColumnSource.field("ts")))
            .partitionBy(PartitionField.day("ts"))
            .build();
    Table tracedTable =
        Tables.loadOrCreate(store.catalog(), TableIdentifier.of("lake", "traced"), traced);

    Deduplication dedup =
        Deduplication.of(traced, tracedTable, List.of("key"), 7, Deduplication.Action.SKIP);

    assertThat(dedup.comparedNames()).containsExactly("key", "tenant", "ts");
    assertThat(dedup.batchNumberPosition()).isZero();
  }

  @Test
  void theSettingsAreCheckedAgainstTheTable() {
    assertThatThrownBy(
            () -> Deduplication.of(mapping, table, List.of("id"), 7, Deduplication.Action.SKIP))
        .hasMessage(
            "Business key column id is not a column of table ingest.lake.changes: its columns"
                + " are [batch, key, amount, ts]");
    assertThatThrownBy(
            () -> Deduplication.of(mapping, table, List.of("amount"), 7, Deduplication.Action.SKIP))
        .hasMessageContaining("a key column must be a string, int or long");
    Table unpartitioned =
        Tables.loadOrCreate(
            store.catalog(),
            TableIdentifier.of("lake", "flat"),
            Mapping.builder("flat")
                .table("lake.flat")
                .column(Column.required("key", ColumnType.string(), ColumnSource.field("id")))
                .build());
    assertThatThrownBy(
            () ->
                Deduplication.of(
                    mapping, unpartitioned, List.of("key"), 7, Deduplication.Action.SKIP))
        .hasMessageContaining("has no time partition field");
    assertThat(
            Deduplication.of(
                    mapping,
                    unpartitioned,
                    List.of("key"),
                    Deduplication.ALL,
                    Deduplication.Action.SKIP)
                .toString())
        .isEqualTo("by key over the whole table, duplicates skipped");
  }

  private Deduplication dedup(int window) {
    return Deduplication.of(
        mapping, table, List.of("key"), window, Deduplication.Action.DEAD_LETTER);
  }

  private Run run(int window, BadRecordPolicy.Action onConflict, int subtask, int parallelism)
      throws Exception {
    table.refresh();
    Long snapshot = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
    List<String> letters = deadLetters;
    DedupOperator operator =
        new DedupOperator(
            TableLoader.fromCatalog(
                CatalogLoader.custom(
                    "ingest",
                    store.properties(),
                    new Configuration(),
                    io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog.class.getName()),
                TABLE),
            table,
            snapshot,
            dedup(window),
            onConflict,
            (partition, offset, timestamp, kind, message) ->
                GenericRowData.of(
                    StringData.fromString(kind + " " + partition + ":" + offset + " " + message)));
    OneInputStreamOperatorTestHarness<RowData, RowData> harness =
        new OneInputStreamOperatorTestHarness<>(operator, parallelism, parallelism, subtask);
    harness.open();
    return new Run(operator, harness, letters);
  }

  /** One batch through the operator. */
  private static final class Run {
    final DedupOperator operator;
    final OneInputStreamOperatorTestHarness<RowData, RowData> harness;
    final List<String> letters;

    Run(
        DedupOperator operator,
        OneInputStreamOperatorTestHarness<RowData, RowData> harness,
        List<String> letters) {
      this.operator = operator;
      this.harness = harness;
      this.letters = letters;
    }

    void process(RowData row, int partition, long offset) throws Exception {
      harness.processElement(
          new StreamRecord<>(new JoinedRowData(row, GenericRowData.of(partition, offset, 0L))));
    }

    RecordCounts end() throws Exception {
      harness.endInput();
      ConcurrentLinkedQueue<StreamRecord<RowData>> dead =
          harness.getSideOutput(DedupOperator.DEAD_LETTERS);
      if (dead != null) {
        dead.forEach(record -> letters.add(record.getValue().getString(0).toString()));
      }
      RecordCounts counts = harness.getSideOutput(DedupOperator.COUNTS).poll().getValue();
      harness.close();
      return counts;
    }

    /** The keys of the rows passed on, in order. */
    List<String> keys() {
      return harness.extractOutputValues().stream()
          .map(row -> row.getString(1).toString())
          .collect(Collectors.toList());
    }
  }

  private static RowData row(String batch, String key, String amount, LocalDate day) {
    return GenericRowData.of(
        StringData.fromString(batch),
        StringData.fromString(key),
        DecimalData.fromBigDecimal(new BigDecimal(amount), 10, 2),
        TimestampData.fromLocalDateTime(day.atTime(12, 0)));
  }

  /** Appends the rows as one snapshot of data files the table's own writers write. */
  private void append(RowData... rows) throws Exception {
    table.refresh();
    RowDataTaskWriterFactory writers =
        new RowDataTaskWriterFactory(
            SerializableTable.copyOf(table),
            FlinkSchemaUtil.convert(table.schema()),
            1L << 27,
            FileFormat.PARQUET,
            Map.of(),
            null,
            false);
    writers.initialize(0, 0);
    TaskWriter<RowData> writer = writers.create();
    for (RowData row : rows) {
      writer.write(row);
    }
    WriteResult written = writer.complete();
    AppendFiles append = table.newAppend();
    for (org.apache.iceberg.DataFile file : written.dataFiles()) {
      append.appendFile(file);
    }
    append.commit();
  }
}
