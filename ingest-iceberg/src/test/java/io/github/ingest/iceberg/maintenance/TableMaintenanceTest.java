package io.github.ingest.iceberg.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.RunFiles;
import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.TestTables;
import io.github.ingest.iceberg.batch.RunFence;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
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
 * Orphan removal against a real table on a local file system: only files a batch wrote, that no
 * snapshot references, whose run is neither running nor protected, and that are old enough.
 */
class TableMaintenanceTest {

  @RegisterExtension final TestCatalog store = TestCatalog.onDisk();

  private ReleasingJdbcCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    catalog = store.catalog();
    table = TestTables.ids(catalog, "t");
  }

  @Test
  void removesOnlyTheUnreferencedFilesOfFinishedRuns() throws Exception {
    String committed = file(batchName(UUID.randomUUID()));
    table.newAppend().appendFile(dataFile(committed)).commit();
    String orphan = file(batchName(UUID.randomUUID()));
    UUID running = UUID.randomUUID();
    String ofRunningBatch = file(batchName(running));
    UUID pending = UUID.randomUUID();
    String ofPendingRun = file(batchName(pending));
    String ofAnotherEngine = file("00000-0-" + UUID.randomUUID() + "-00001.parquet");

    try (RunLease lease = RunLease.hold(table, running.toString(), Instant.now())) {
      MaintenanceReport dryRun =
          maintenance().protect(() -> Set.of(pending.toString())).dryRun(true).run();
      assertThat(dryRun.orphans()).isEqualTo(1);
      assertThat(Files.exists(Path.of(orphan))).isTrue();

      MaintenanceReport report = maintenance().protect(() -> Set.of(pending.toString())).run();

      assertThat(report.orphans()).isEqualTo(1);
      assertThat(Files.exists(Path.of(orphan))).isFalse();
      assertThat(Files.exists(Path.of(committed))).isTrue();
      assertThat(Files.exists(Path.of(ofRunningBatch))).isTrue();
      assertThat(Files.exists(Path.of(ofPendingRun))).isTrue();
      assertThat(Files.exists(Path.of(ofAnotherEngine))).isTrue();
    }
  }

  @Test
  void keepsYoungFiles() throws Exception {
    table.newAppend().appendFile(dataFile(file(batchName(UUID.randomUUID())))).commit();
    String orphan = file(batchName(UUID.randomUUID()));

    MaintenanceReport report =
        TableMaintenance.of(table, () -> null).orphanAge(Duration.ofHours(1)).run();

    assertThat(report.orphans()).isZero();
    assertThat(Files.exists(Path.of(orphan))).isTrue();
  }

  @Test
  void removesOnlyFilesOfRunsThatStartedBeforeTheFence() {
    RunFiles.Run run = RunFiles.runOf(batchName(UUID.randomUUID())).orElseThrow();
    assertThat(run.startSecond()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
    // the run started somewhere in 10:00:00.xxx: a fence at 10:00:00 may not revoke it
    assertThat(run.revokedBy(Instant.parse("2026-12-01T10:00:00Z"))).isFalse();
    assertThat(run.revokedBy(Instant.parse("2026-12-01T10:00:00.999Z"))).isFalse();
    assertThat(run.revokedBy(Instant.parse("2026-12-01T10:00:01Z"))).isTrue();
    assertThat(RunFiles.runOf("00000-0-" + UUID.randomUUID() + "-00001.parquet")).isEmpty();
  }

  @Test
  void theFenceIsCommittedBeforeAnyFileIsRemovedAndOnlyMovesForward() throws Exception {
    table.newAppend().appendFile(dataFile(file(batchName(UUID.randomUUID())))).commit();
    file(batchName(UUID.randomUUID()));
    Instant before = Instant.now();

    MaintenanceReport report = maintenance().run();

    table.refresh();
    Instant fence = RunFence.of(((HasTableOperations) table).operations().current()).orElseThrow();
    assertThat(report.orphans()).isEqualTo(1);
    assertThat(fence).isAfterOrEqualTo(before.truncatedTo(ChronoUnit.SECONDS));
    assertThat(RunFence.raise(table, fence.minusSeconds(3600))).isEqualTo(fence);
    assertThat(RunFence.raise(table, fence.plusSeconds(5))).isEqualTo(fence.plusSeconds(5));
  }

  @Test
  void aLiveLeaseHoldsTheFenceBackToItsRunsStart() throws Exception {
    table.newAppend().appendFile(dataFile(file(batchName(UUID.randomUUID())))).commit();
    Instant started = Instant.parse("2026-12-01T09:00:00Z");
    try (RunLease lease = RunLease.hold(table, UUID.randomUUID().toString(), started)) {
      maintenance().run();
    }
    table.refresh();
    assertThat(RunFence.of(((HasTableOperations) table).operations().current())).contains(started);
  }

  @Test
  void rewritesSmallManifestsIntoFewerAndThenLeavesThemAlone() throws Exception {
    // no data file is small: nothing to compact, so no Flink is needed
    table.updateProperties().set("write.target-file-size-bytes", "1").commit();
    for (int i = 0; i < 6; i++) {
      table.newFastAppend().appendFile(dataFile(file(batchName(UUID.randomUUID())))).commit();
    }
    table.refresh();
    assertThat(table.currentSnapshot().dataManifests(table.io())).hasSize(6);

    MaintenanceReport first = maintenance().manifestMinCount(4).run();
    table.refresh();
    long snapshot = table.currentSnapshot().snapshotId();
    MaintenanceReport second = maintenance().manifestMinCount(4).run();

    table.refresh();
    assertThat(first.manifestsRewritten).isEqualTo(6);
    assertThat(table.currentSnapshot().dataManifests(table.io())).hasSize(1);
    assertThat(second.manifestsRewritten).isZero();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshot);
  }

  private TableMaintenance maintenance() {
    // one file: nothing to compact, so no Flink is needed
    return TableMaintenance.of(table, () -> null).orphanAge(Duration.ZERO);
  }

  private static String batchName(UUID runId) {
    return "2026-12-01_10-00-00-" + runId + "-00000-0-" + UUID.randomUUID() + "-00001.parquet";
  }

  /** Creates an empty file in the table's data directory; returns its path. */
  private String file(String name) throws IOException {
    Path data = Path.of(table.location().replaceFirst("^file:", "")).resolve("data");
    Files.createDirectories(data);
    Path file = Files.createFile(data.resolve(name));
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 1000));
    return file.toString();
  }

  private static DataFile dataFile(String path) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(path)
        .withFileSizeInBytes(10)
        .withRecordCount(1)
        .build();
  }
}
