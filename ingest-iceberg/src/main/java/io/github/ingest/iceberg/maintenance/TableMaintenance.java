package io.github.ingest.iceberg.maintenance;

import io.github.ingest.iceberg.batch.RunFence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
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
 * <p>It never touches a file it cannot prove to be an orphan ({@link OrphanFiles}): before it
 * removes any, it commits a {@link RunFence} that revokes every run it may take files of, so no
 * such run can commit them afterwards. The source's batch state is a table property, so expiring
 * snapshots cannot reset it.
 *
 * <pre>{@code
 * MaintenanceReport report =
 *     TableMaintenance.of(table, () -> env).retention(Duration.ofDays(7), 50).run();
 * }</pre>
 */
public final class TableMaintenance {

  private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

  private final Table table;
  private final Supplier<StreamExecutionEnvironment> flink;
  private Duration retention = Duration.ofDays(7);
  private int retainLast = 50;
  private Duration orphanAge = Duration.ofDays(1);
  private int manifestMinCount = 16;
  private boolean dryRun;
  private Supplier<Set<String>> protectedRuns = Set::of;
  private Table runsOf;
  private String runId = UUID.randomUUID().toString();
  private Instant started = Instant.now();

  private TableMaintenance(Table table, Supplier<StreamExecutionEnvironment> flink) {
    this.table = table;
    this.flink = flink;
    this.runsOf = table;
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

  /**
   * Runs whose files are never orphans, such as runs whose dead letters are still pending; asked
   * after the fence is committed, so a run that committed before it is among them.
   */
  public TableMaintenance protect(Supplier<Set<String>> runIds) {
    this.protectedRuns = runIds;
    return this;
  }

  /**
   * The table whose batches write into this one ({@code table} itself by default; the target table
   * for its dead-letter table): its leases are the runs that are alive, and its fence is raised
   * with this table's before any file is removed.
   */
  public TableMaintenance runsOf(Table target) {
    this.runsOf = target;
    return this;
  }

  /**
   * This maintenance's own run: its compaction output is named after it, and its commits are
   * refused once another maintenance fenced it off.
   */
  public TableMaintenance asRun(String newRunId, Instant newStarted) {
    this.runId = newRunId;
    this.started = newStarted;
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
    new Compaction(table, flink, runId, this.started).compact(report, dryRun);
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
    new Compaction(table, flink, runId, this.started).compact(report, dryRun);
    report.millis = System.currentTimeMillis() - started;
    return report;
  }

  /** The largest number of data files below the target size in one partition. */
  public static int mostSmallFilesInAPartition(Table table) {
    return Compaction.mostSmallFilesInAPartition(table);
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
    Map<String, Optional<Instant>> live = RunLease.liveRuns(runsOf, now);
    Instant fence = Instant.ofEpochMilli(now).minus(orphanAge);
    for (Optional<Instant> liveStart : live.values()) {
      if (liveStart.isPresent() && liveStart.get().isBefore(fence)) {
        fence = liveStart.get();
      }
    }
    if (!dryRun) {
      // committed before anything is deleted: a run that started before the fence can no longer
      // commit, so whatever of its files is removed below, no snapshot will ever reference it
      fence = RunFence.raise(runsOf, fence);
      if (runsOf != table) {
        fence = RunFence.raise(table, fence);
      }
    }
    report.fence = fence;
    table.refresh();
    // read after the fence: a run that committed before it is in the table now
    Set<String> protect = new HashSet<>(protectedRuns.get());
    protect.addAll(live.keySet());
    OrphanFiles orphans =
        new OrphanFiles(table, fence, now - orphanAge.toMillis(), now - RunLease.STALE.toMillis());
    for (FileInfo orphan : orphans.find(protect)) {
      LOG.info("{} orphan file {}", dryRun ? "Would remove" : "Removing", orphan.location());
      report.orphans++;
      report.orphanBytes += orphan.size();
      if (!dryRun) {
        table.io().deleteFile(orphan.location());
      }
    }
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
    report.manifestsAfter = manifests.size();
    long small = manifests.stream().filter(m -> m.length() < target).count();
    long smallBytes =
        manifests.stream().filter(m -> m.length() < target).mapToLong(ManifestFile::length).sum();
    // merged into manifests of the target size: rewriting makes fewer, or it is not worth a commit
    long merged = (smallBytes + target - 1) / target;
    if (small < manifestMinCount || merged >= small) {
      return;
    }
    report.manifestsRewritten = small;
    if (!dryRun) {
      // without a clustering, Iceberg rewrites nothing and commits the same manifests again
      table.rewriteManifests().clusterBy(file -> 0).rewriteIf(m -> m.length() < target).commit();
      table.refresh();
      report.manifestsAfter = table.currentSnapshot().dataManifests(table.io()).size();
    }
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
}
