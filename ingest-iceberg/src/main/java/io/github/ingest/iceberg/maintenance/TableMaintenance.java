package io.github.ingest.iceberg.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.actions.RewriteDataFilesActionResult;
import org.apache.iceberg.flink.actions.Actions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a table the job writes small in files and in history, on the job's own Flink: compacts
 * small data files (Iceberg's Flink rewrite action, bin-packing each partition to the target file
 * size), expires old snapshots, removes the files of failed runs, and rewrites small manifests.
 *
 * <p>It never touches a file it cannot prove to be an orphan: only files whose names say a batch
 * wrote them ({@code <log file base name>-<run id>-...}), that no snapshot references, whose run
 * holds no live {@link RunLease}, and that are older than the orphan age. The source's batch state
 * is a table property, so expiring snapshots cannot reset it.
 *
 * <pre>{@code
 * MaintenanceReport report =
 *     TableMaintenance.of(table, () -> env).retention(Duration.ofDays(7), 50).run();
 * }</pre>
 *
 * <p>Over 300 lines because its four steps share the table's file listing, size and age rules; each
 * step is one method.
 */
public final class TableMaintenance {

  private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  /** A data file a batch wrote: {@code 2026-11-23_10-00-00-<run id>-...}; group 1 is the run. */
  static final Pattern BATCH_FILE =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}-(" + UUID + ")-.+");

  /** A dead-letter manifest a batch wrote; group 1 is the run. */
  static final Pattern DEAD_LETTER_MANIFEST = Pattern.compile("dead-letters-(" + UUID + ")\\.avro");

  private final Table table;
  private final Supplier<StreamExecutionEnvironment> flink;
  private Duration retention = Duration.ofDays(7);
  private int retainLast = 50;
  private Duration orphanAge = Duration.ofDays(1);
  private int manifestMinCount = 16;
  private boolean dryRun;
  private Set<String> protectedRuns = Set.of();

  private TableMaintenance(Table table, Supplier<StreamExecutionEnvironment> flink) {
    this.table = table;
    this.flink = flink;
  }

  /** Maintenance of {@code table}, compacting on the Flink environment {@code flink} gives. */
  public static TableMaintenance of(Table table, Supplier<StreamExecutionEnvironment> flink) {
    return new TableMaintenance(table, flink);
  }

  /** Expires snapshots older than {@code age}, but keeps the newest {@code last} of the history. */
  public TableMaintenance retention(Duration age, int last) {
    this.retention = age;
    this.retainLast = last;
    return this;
  }

  /** Removes orphan files only once they are older than {@code age}. */
  public TableMaintenance orphanAge(Duration age) {
    this.orphanAge = age;
    return this;
  }

  /** Rewrites manifests once at least {@code count} are smaller than the target size. */
  public TableMaintenance manifestMinCount(int count) {
    this.manifestMinCount = count;
    return this;
  }

  /** Only says what it would do. */
  public TableMaintenance dryRun(boolean newDryRun) {
    this.dryRun = newDryRun;
    return this;
  }

  /** Runs whose files are never orphans, such as runs whose dead letters are still pending. */
  public TableMaintenance protect(Set<String> runIds) {
    this.protectedRuns = Set.copyOf(runIds);
    return this;
  }

  /** Compacts, expires snapshots, removes orphans and rewrites manifests, in that order. */
  public MaintenanceReport run() {
    long started = System.currentTimeMillis();
    MaintenanceReport report = new MaintenanceReport(table.name(), dryRun);
    table.refresh();
    long[] before = dataFiles(table);
    report.filesBefore = before[0];
    report.bytesBefore = before[1];
    compact(report);
    expire(report, started);
    removeOrphans(report, started);
    rewriteManifests(report);
    table.refresh();
    long[] after = dataFiles(table);
    report.filesAfter = after[0];
    report.bytesAfter = after[1];
    report.millis = System.currentTimeMillis() - started;
    LOG.info("{}", String.join("\n", report.lines()));
    return report;
  }

  /** Compacts only: what a run does after its batch when enough small files gathered. */
  public MaintenanceReport compactOnly() {
    long started = System.currentTimeMillis();
    MaintenanceReport report = new MaintenanceReport(table.name(), dryRun);
    compact(report);
    report.millis = System.currentTimeMillis() - started;
    return report;
  }

  /** The largest number of data files below the target size in one partition. */
  public static int mostSmallFilesInAPartition(Table table) {
    return smallFilesByPartition(table).values().stream().mapToInt(List::size).max().orElse(0);
  }

  private void compact(MaintenanceReport report) {
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
        Actions.forTable(flink.get(), table)
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

  private void expire(MaintenanceReport report, long now) {
    List<Snapshot> snapshots = new ArrayList<>();
    table.snapshots().forEach(snapshots::add);
    report.snapshotsBefore = snapshots.size();
    long cutoff = now - retention.toMillis();
    if (dryRun) {
      Set<Long> kept = new HashSet<>();
      if (table.currentSnapshot() != null) {
        for (Snapshot snapshot :
            SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
          if (kept.size() >= retainLast) {
            break;
          }
          kept.add(snapshot.snapshotId());
        }
      }
      report.snapshotsExpired =
          snapshots.stream()
              .filter(s -> s.timestampMillis() < cutoff && !kept.contains(s.snapshotId()))
              .count();
      return;
    }
    table.expireSnapshots().expireOlderThan(cutoff).retainLast(Math.max(1, retainLast)).commit();
    table.refresh();
    long after = 0;
    for (Snapshot ignored : table.snapshots()) {
      after++;
    }
    report.snapshotsExpired = report.snapshotsBefore - after;
  }

  private void removeOrphans(MaintenanceReport report, long now) {
    if (!(table.io() instanceof SupportsPrefixOperations)) {
      LOG.warn("The file system of table {} cannot list files: no orphans removed", table.name());
      return;
    }
    SupportsPrefixOperations files = (SupportsPrefixOperations) table.io();
    Set<String> protect = new HashSet<>(protectedRuns);
    protect.addAll(RunLease.liveRuns(table, now));
    long olderThan = now - orphanAge.toMillis();
    Set<String> manifests = new HashSet<>();
    Set<String> referenced = referencedFiles(manifests);
    List<FileInfo> orphans = new ArrayList<>();
    boolean matchedOne = referenced.isEmpty();
    for (FileInfo file : files.listPrefix(dataLocation(table))) {
      String key = key(file.location());
      if (referenced.contains(key)) {
        matchedOne = true;
        continue;
      }
      Matcher batch = BATCH_FILE.matcher(name(file.location()));
      if (batch.matches()
          && !protect.contains(batch.group(1))
          && file.createdAtMillis() < olderThan) {
        orphans.add(file);
      }
    }
    if (!matchedOne) {
      // the listing names files otherwise than the table does: nothing can be proved an orphan
      LOG.warn(
          "Cannot match the files listed under {} to those table {} references: no orphans"
              + " removed",
          dataLocation(table),
          table.name());
      return;
    }
    String metadata = ((HasTableOperations) table).operations().metadataFileLocation("");
    for (FileInfo file : files.listPrefix(metadata)) {
      String name = name(file.location());
      Matcher manifest = DEAD_LETTER_MANIFEST.matcher(name);
      boolean staleLease =
          RunLease.isLease(file.location())
              && file.createdAtMillis() < Math.min(olderThan, now - RunLease.STALE.toMillis());
      boolean oldManifest =
          manifest.matches()
              && !protect.contains(manifest.group(1))
              && !manifests.contains(key(file.location()))
              && file.createdAtMillis() < olderThan;
      if (staleLease || oldManifest) {
        orphans.add(file);
      }
    }
    for (FileInfo orphan : orphans) {
      LOG.info("{} orphan file {}", dryRun ? "Would remove" : "Removing", orphan.location());
      report.orphans++;
      report.orphanBytes += orphan.size();
      if (!dryRun) {
        table.io().deleteFile(orphan.location());
      }
    }
    if (!orphans.isEmpty()) {
      LOG.info(
          "{} {} orphan files of table {}",
          dryRun ? "Would remove" : "Removed",
          orphans.size(),
          table.name());
    }
  }

  /** Every data file any snapshot references, by {@link #key}; {@code manifests} gets theirs. */
  private Set<String> referencedFiles(Set<String> manifests) {
    Set<String> referenced = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      for (ManifestFile manifest : snapshot.allManifests(table.io())) {
        if (!manifests.add(key(manifest.path()))) {
          continue;
        }
        try (CloseableIterable<String> paths = ManifestFiles.readPaths(manifest, table.io())) {
          paths.forEach(path -> referenced.add(key(path)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return referenced;
  }

  private void rewriteManifests(MaintenanceReport report) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return;
    }
    long target =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.MANIFEST_TARGET_SIZE_BYTES,
            TableProperties.MANIFEST_TARGET_SIZE_BYTES_DEFAULT);
    List<ManifestFile> manifests = current.dataManifests(table.io());
    report.manifestsBefore = manifests.size();
    long small = manifests.stream().filter(m -> m.length() < target).count();
    if (small < manifestMinCount) {
      report.manifestsAfter = manifests.size();
      return;
    }
    report.manifestsRewritten = small;
    if (!dryRun) {
      table.rewriteManifests().rewriteIf(m -> m.length() < target).commit();
      table.refresh();
      report.manifestsAfter = table.currentSnapshot().dataManifests(table.io()).size();
    }
  }

  /** The data files below the target size of the current snapshot, by partition. */
  private static Map<String, List<FileScanTask>> smallFilesByPartition(Table table) {
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

  /** Data files and their bytes in the current snapshot. */
  private static long[] dataFiles(Table table) {
    long[] counts = new long[2];
    if (table.currentSnapshot() == null) {
      return counts;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().ignoreResiduals().planFiles()) {
      for (FileScanTask task : tasks) {
        counts[0]++;
        counts[1] += task.file().fileSizeInBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  private static long targetFileSize(Table table) {
    return PropertyUtil.propertyAsLong(
        table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
  }

  private static String dataLocation(Table table) {
    String location =
        table
            .properties()
            .getOrDefault(TableProperties.WRITE_DATA_LOCATION, table.location() + "/data");
    return location.endsWith("/") ? location : location + "/";
  }

  private static String name(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /**
   * A file's location without its scheme, so that {@code file:/x}, {@code /x} and {@code file:///x}
   * are one file, as are {@code s3://b/k} and {@code s3a://b/k}.
   */
  static String key(String location) {
    try {
      URI uri = URI.create(location);
      String path = uri.getPath() == null ? location : uri.getPath().replaceAll("/+", "/");
      return (uri.getAuthority() == null ? "" : uri.getAuthority()) + path;
    } catch (IllegalArgumentException e) {
      return location;
    }
  }
}
