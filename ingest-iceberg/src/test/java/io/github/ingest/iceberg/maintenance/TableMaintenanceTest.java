package io.github.ingest.iceberg.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.iceberg.TestCatalogs;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orphan removal against a real table on a local file system: only files a batch wrote, that no
 * snapshot references, whose run is neither running nor protected, and that are old enough.
 */
class TableMaintenanceTest {

  @TempDir Path dir;

  private ReleasingJdbcCatalog catalog;
  private Table table;

  @BeforeEach
  void createTable() {
    catalog = TestCatalogs.onDisk(dir);
    table =
        catalog.createTable(
            TableIdentifier.of("lake", "t"),
            new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
  }

  @AfterEach
  void closeCatalog() throws Exception {
    catalog.close();
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

    try (RunLease lease = RunLease.hold(table, running.toString())) {
      MaintenanceReport dryRun =
          maintenance().protect(Set.of(pending.toString())).dryRun(true).run();
      assertThat(dryRun.orphans()).isEqualTo(1);
      assertThat(Files.exists(Path.of(orphan))).isTrue();

      MaintenanceReport report = maintenance().protect(Set.of(pending.toString())).run();

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
