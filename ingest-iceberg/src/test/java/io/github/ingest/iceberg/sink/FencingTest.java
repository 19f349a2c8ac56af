package io.github.ingest.iceberg.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.RunFiles;
import io.github.ingest.batch.testing.TestBatches;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.TestTables;
import io.github.ingest.iceberg.batch.BatchGuard;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.batch.RunRevokedException;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import io.github.ingest.iceberg.maintenance.MaintenanceReport;
import io.github.ingest.iceberg.maintenance.RunLease;
import io.github.ingest.iceberg.maintenance.TableMaintenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fence between maintenance and the batches it may take files of, on a real table on a local
 * file system: a run whose files maintenance removed can never commit them, and a run that holds
 * its lease keeps its files and commits.
 */
class FencingTest {

  private static final String SOURCE = "kafka://cluster-1/topic?group=ingest";

  @RegisterExtension final TestCatalog store = TestCatalog.onDisk();

  private ReleasingJdbcCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    catalog = store.catalog();
    table = TestTables.ids(catalog, "t");
  }

  @Test
  void aRunPausedPastItsLeaseIsRevokedBeforeItsFilesAreRemoved() throws Exception {
    BatchLedger.Position planned = BatchLedger.position(table, SOURCE);
    BatchState batch = batch(Instant.now().minus(Duration.ofMinutes(10)));
    Path file = writtenBy(batch);

    // the run's JVM is stopped: no lease is renewed while maintenance runs
    MaintenanceReport report = maintenance().run();

    assertThat(report.orphans()).isEqualTo(1);
    assertThat(Files.exists(file)).isFalse();
    assertThatThrownBy(() -> commit(batch, planned, file))
        .isInstanceOf(RunRevokedException.class)
        .hasMessageContaining("Cannot commit batch 1 of " + SOURCE)
        .hasMessageContaining("table maintenance revoked runs that started before")
        .hasMessageContaining("nothing of it is committed");
    table.refresh();
    assertThat(table.currentSnapshot()).isNull();
    assertThat(BatchLedger.position(table, SOURCE).last()).isEmpty();
  }

  @Test
  void aRunThatHoldsItsLeaseKeepsItsFilesAndCommits() throws Exception {
    BatchLedger.Position planned = BatchLedger.position(table, SOURCE);
    BatchState batch = batch(Instant.now().minus(Duration.ofMinutes(10)));
    Path file = writtenBy(batch);

    try (RunLease lease = RunLease.hold(table, batch.runId(), batch.started())) {
      MaintenanceReport report = maintenance().run();
      assertThat(report.orphans()).isZero();
      commit(batch, planned, file);
    }

    table.refresh();
    assertThat(Files.exists(file)).isTrue();
    assertThat(BatchLedger.landed(table, SOURCE, batch.runId())).isTrue();
  }

  @Test
  void aRunThatStartedAfterTheFenceCommits() throws Exception {
    Files.createDirectories(Path.of(table.location().replaceFirst("^file:", "")).resolve("data"));
    maintenance().run();
    BatchLedger.Position planned = BatchLedger.position(table, SOURCE);
    BatchState batch = batch(Instant.now().plusSeconds(1));

    commit(batch, planned, writtenBy(batch));

    table.refresh();
    assertThat(BatchLedger.landed(table, SOURCE, batch.runId())).isTrue();
  }

  private TableMaintenance maintenance() {
    // nothing to compact, so no Flink is needed
    return TableMaintenance.of(table, () -> null).orphanAge(Duration.ofMinutes(1));
  }

  private void commit(BatchState batch, BatchLedger.Position planned, Path file) {
    BatchGuard guard = BatchGuard.after(((HasTableOperations) table).operations(), batch, planned);
    DataFile dataFile =
        DataFiles.builder(PartitionSpec.unpartitioned())
            .withPath(file.toString())
            .withFileSizeInBytes(10)
            .withRecordCount(1)
            .build();
    BatchCommitter.commit(
        table, guard, batch.withCounts(1, 0, 0), List.of(dataFile), Map.of(), Failpoints.NONE);
  }

  private static BatchState batch(Instant started) {
    return BatchState.of(SOURCE, TestBatches.metadata(1, started), Map.of(0, 0L), Map.of(0, 1L));
  }

  /** A data file that {@code batch}'s run wrote, named as the sink names it, 5 minutes ago. */
  private Path writtenBy(BatchState batch) throws Exception {
    Path data = Path.of(table.location().replaceFirst("^file:", "")).resolve("data");
    Files.createDirectories(data);
    Path file =
        Files.createFile(
            data.resolve(
                RunFiles.prefix(batch) + "-00000-0-" + UUID.randomUUID() + "-00001.parquet"));
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
    return file;
  }
}
