package io.github.ingest.iceberg.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.batch.testing.TestBatches;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.RecordCounts;
import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.TestTables;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.io.WriteResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The committer operator on Flink's operator test harness, against a real table: it commits a batch
 * once, commits nothing when it runs again for the same batch, and deletes only the files of a
 * batch that certainly never landed.
 */
class BatchCommitterTest {

  private static final String SOURCE = "kafka://cluster-1/topic?group=ingest";
  private static final TableIdentifier TABLE = TableIdentifier.of("lake", "t");

  @RegisterExtension final TestCatalog store = TestCatalog.onDisk();

  private Map<String, String> properties;
  private ReleasingJdbcCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    properties = store.properties();
    catalog = store.catalog();
    table = TestTables.ids(catalog, TABLE.name());
  }

  @Test
  void aCommitterThatRunsAgainForItsBatchCommitsNothingAndDeletesNothing() throws Exception {
    BatchState batch = batch(1);
    DataFile file = dataFile(2);

    commit(batch, BatchLedger.newSource(), file);
    table.refresh();
    Snapshot committed = table.currentSnapshot();
    assertThat(committed.summary()).containsEntry("ingest.batch.run-id", batch.runId());

    // Flink restarts the committer: same batch, same files, same plan
    commit(batch, BatchLedger.newSource(), file);

    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(committed.snapshotId());
    assertThat(exists(file)).isTrue();
    assertThat(BatchLedger.position(table, SOURCE).nextNumber()).isEqualTo(2);
  }

  @Test
  void aCommitterThatLostTheRaceDeletesOnlyItsOwnFiles() throws Exception {
    DataFile winnersFile = dataFile(2);
    commit(batch(1), BatchLedger.newSource(), winnersFile);
    DataFile losersFile = dataFile(2);

    assertThatThrownBy(() -> commit(batch(1), BatchLedger.newSource(), losersFile))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("another run committed since this one planned");

    table.refresh();
    assertThat(exists(winnersFile)).isTrue();
    assertThat(exists(losersFile)).isFalse();
  }

  @Test
  void countsThatDoNotReconcileFailTheBatchBeforeAnyCommit() throws Exception {
    DataFile file = dataFile(2);
    assertThatThrownBy(() -> commit(batch(1), BatchLedger.newSource(), file, 3))
        .hasMessage(
            "Counts do not reconcile: 3 read, but 2 written, 0 rejected, 0 tombstones and 0"
                + " duplicates left out");
    table.refresh();
    assertThat(table.currentSnapshot()).isNull();
    assertThat(exists(file)).isFalse();
  }

  @Test
  void tombstonesLeftOutReconcileAndAreRecordedWithTheBatch() throws Exception {
    DataFile file = dataFile(2);
    commit(batch(1), BatchLedger.newSource(), file, RecordCounts.of(5, 0, 3, 0, null));
    table.refresh();
    BatchState committed = StateCodec.fromSummary(table.currentSnapshot().summary());
    assertThat(committed.read()).isEqualTo(5);
    assertThat(committed.written()).isEqualTo(2);
    assertThat(committed.tombstones()).isEqualTo(3);
    assertThat(table.currentSnapshot().summary()).containsEntry("ingest.records.tombstones", "3");
  }

  private void commit(BatchState batch, BatchLedger.Position plannedFrom, DataFile file)
      throws Exception {
    commit(batch, plannedFrom, file, file.recordCount());
  }

  private void commit(BatchState batch, BatchLedger.Position plannedFrom, DataFile file, long read)
      throws Exception {
    commit(batch, plannedFrom, file, RecordCounts.of(read, 0, null));
  }

  private void commit(
      BatchState batch, BatchLedger.Position plannedFrom, DataFile file, RecordCounts counts)
      throws Exception {
    BatchCommitter committer =
        new BatchCommitter(
            TableLoader.fromCatalog(
                CatalogLoader.custom(
                    "ingest",
                    properties,
                    new Configuration(),
                    ReleasingJdbcCatalog.class.getName()),
                TABLE),
            null,
            batch,
            plannedFrom,
            BadRecordPolicy.of(BadRecordPolicy.Action.FAIL, 0, 0),
            Failpoints.NONE,
            false,
            null);
    try (OneInputStreamOperatorTestHarness<CommitInput, Void> harness =
        new OneInputStreamOperatorTestHarness<>(committer)) {
      harness.open();
      harness.processElement(
          new StreamRecord<>(
              CommitInput.files(
                  CommitInput.Kind.ROWS, WriteResult.builder().addDataFiles(file).build())));
      harness.processElement(new StreamRecord<>(CommitInput.counts(counts)));
      harness.endInput();
    }
  }

  private static BatchState batch(long number) {
    return TestBatches.batch(SOURCE, number, Map.of(0, 0L), Map.of(0, 2L));
  }

  /** A data file of {@code records} records that exists in the table's file system. */
  private DataFile dataFile(long records) throws IOException {
    Path data = store.dir().resolve("warehouse/lake/t/data");
    java.nio.file.Files.createDirectories(data);
    String path =
        java.nio.file.Files.createFile(data.resolve(UUID.randomUUID() + ".parquet")).toString();
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(path)
        .withFileSizeInBytes(100)
        .withRecordCount(records)
        .build();
  }

  private static boolean exists(DataFile file) {
    return java.nio.file.Files.exists(Path.of(file.path().toString()));
  }
}
