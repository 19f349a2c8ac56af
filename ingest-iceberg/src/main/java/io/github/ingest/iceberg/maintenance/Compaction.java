package io.github.ingest.iceberg.maintenance;

import io.github.ingest.batch.RunFiles;
import io.github.ingest.iceberg.batch.ForwardingTableOperations;
import io.github.ingest.iceberg.batch.RunFence;
import io.github.ingest.iceberg.sink.PrefixedLocationProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.actions.RewriteDataFilesActionResult;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.flink.actions.Actions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Compacts a table's small data files with Iceberg's Flink rewrite action, bin-packing each
 * partition that has two or more of them to the target file size. The files it writes are named
 * after its maintenance run, and its commit is refused once a {@link RunFence} revoked that run.
 */
final class Compaction {

  private final Table table;
  private final Supplier<StreamExecutionEnvironment> flink;
  private final String runId;
  private final Instant started;

  Compaction(
      Table table, Supplier<StreamExecutionEnvironment> flink, String runId, Instant started) {
    this.table = table;
    this.flink = flink;
    this.runId = runId;
    this.started = started;
  }

  /** The largest number of data files below the target size in one partition. */
  static int mostSmallFilesInAPartition(Table table) {
    return smallFilesByPartition(table).values().stream().mapToInt(List::size).max().orElse(0);
  }

  /** Compacts the partitions with two small files or more; says what it did in {@code report}. */
  void compact(MaintenanceReport report, boolean dryRun) {
    Map<String, List<FileScanTask>> candidates = smallFilesByPartition(table);
    candidates.values().removeIf(files -> files.size() < 2);
    if (candidates.isEmpty()) {
      return;
    }
    if (dryRun) {
      report.compactedPartitions = candidates.size();
      candidates.values().stream()
          .flatMap(List::stream)
          .forEach(
              task -> {
                report.compactedFiles++;
                report.compactedBytes += task.file().fileSizeInBytes();
              });
      return;
    }
    RewriteDataFilesActionResult result =
        Actions.forTable(flink.get(), writtenByThisRun(table))
            .rewriteDataFiles()
            .targetSizeInBytes(targetFileSize(table))
            .execute();
    report.compactedFiles = result.deletedDataFiles().size();
    report.compactedBytes =
        result.deletedDataFiles().stream().mapToLong(f -> f.fileSizeInBytes()).sum();
    report.compactedInto = result.addedDataFiles().size();
    report.compactedPartitions =
        result.deletedDataFiles().stream().map(f -> f.partition().toString()).distinct().count();
    table.refresh();
  }

  /** The data files below the target size of the current snapshot, by partition. */
  static Map<String, List<FileScanTask>> smallFilesByPartition(Table table) {
    Map<String, List<FileScanTask>> byPartition = new HashMap<>();
    if (table.currentSnapshot() == null) {
      return byPartition;
    }
    long target = targetFileSize(table);
    try (CloseableIterable<FileScanTask> tasks = table.newScan().ignoreResiduals().planFiles()) {
      for (FileScanTask task : tasks) {
        if (task.file().fileSizeInBytes() < target) {
          byPartition
              .computeIfAbsent(
                  task.spec().partitionToPath(task.file().partition()), p -> new ArrayList<>())
              .add(task);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byPartition;
  }

  private static long targetFileSize(Table table) {
    return PropertyUtil.propertyAsLong(
        table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
  }

  /**
   * {@code base} with this maintenance's run as the writer: its files are named after the run, so a
   * killed maintenance leaves orphans that a later one recognises, and its commits are refused once
   * a {@link RunFence} revoked the run.
   */
  private Table writtenByThisRun(Table base) {
    TableOperations ops = ((HasTableOperations) base).operations();
    LocationProvider named =
        new PrefixedLocationProvider(ops.locationProvider(), RunFiles.prefix(started, runId));
    TableOperations fenced =
        new ForwardingTableOperations(ops) {
          @Override
          public LocationProvider locationProvider() {
            return named;
          }

          @Override
          public void commit(TableMetadata current, TableMetadata metadata) {
            if (RunFence.revokes(current, started)) {
              throw new ValidationException(
                  "Cannot commit the compaction of table %s: maintenance run %s started at %s,"
                      + " before the fence %s another maintenance set, so its files may be gone",
                  base.name(), runId, started, RunFence.of(current).orElseThrow());
            }
            super.commit(current, metadata);
          }
        };
    return new BaseTable(fenced, base.name());
  }
}
