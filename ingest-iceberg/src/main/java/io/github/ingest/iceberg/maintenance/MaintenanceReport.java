package io.github.ingest.iceberg.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What maintenance did to one table, or with a dry run would do. */
public final class MaintenanceReport {

  final String table;
  final boolean dryRun;
  long filesBefore;
  long bytesBefore;
  long filesAfter;
  long bytesAfter;
  long compactedFiles;
  long compactedBytes;
  long compactedInto;
  long compactedPartitions;
  long snapshotsBefore;
  long snapshotsExpired;
  long orphans;
  Instant fence;
  long orphanBytes;
  long manifestsBefore;
  long manifestsRewritten;
  long manifestsAfter;
  long millis;

  MaintenanceReport(String table, boolean dryRun) {
    this.table = table;
    this.dryRun = dryRun;
  }

  /** Data files the table's current snapshot references, after maintenance. */
  public long filesAfter() {
    return filesAfter;
  }

  /** Data files rewritten into larger ones. */
  public long compactedFiles() {
    return compactedFiles;
  }

  /** Snapshots expired. */
  public long snapshotsExpired() {
    return snapshotsExpired;
  }

  /** Orphan files removed. */
  public long orphans() {
    return orphans;
  }

  /** The lines a person reads, one per kind of work. */
  public List<String> lines() {
    String did = dryRun ? "would " : "";
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%s table %s%s",
            dryRun ? "Maintenance plan of" : "Maintained",
            table,
            dryRun ? " (dry run: nothing changed)" : ""));
    lines.add(
        String.format(
            Locale.ROOT,
            "  files:     %d data files, %s before; %s",
            filesBefore,
            bytes(bytesBefore),
            dryRun
                ? "unchanged"
                : String.format(Locale.ROOT, "%d, %s after", filesAfter, bytes(bytesAfter))));
    lines.add(
        compactedFiles == 0
            ? "  compact:   nothing to compact (no partition has two files below the target size)"
            : String.format(
                Locale.ROOT,
                "  compact:   %s%d files (%s) in %d partitions%s",
                dryRun ? "would rewrite " : "rewrote ",
                compactedFiles,
                bytes(compactedBytes),
                compactedPartitions,
                dryRun ? "" : " into " + compactedInto));
    lines.add(
        String.format(
            Locale.ROOT,
            "  snapshots: %d before, %s%d expired",
            snapshotsBefore,
            did,
            snapshotsExpired));
    lines.add(
        String.format(
            Locale.ROOT,
            "  orphans:   %s%d files (%s) removed%s",
            did,
            orphans,
            bytes(orphanBytes),
            fence == null
                ? ""
                : "; runs started before " + fence + (dryRun ? " would be" : "") + " revoked"));
    lines.add(
        manifestsRewritten == 0
            ? String.format(Locale.ROOT, "  manifests: %d, left as they are", manifestsBefore)
            : String.format(
                Locale.ROOT,
                "  manifests: %d, %s%d small ones rewritten%s",
                manifestsBefore,
                did,
                manifestsRewritten,
                dryRun ? "" : ", " + manifestsAfter + " after"));
    lines.add(String.format(Locale.ROOT, "  took:      %.1f s", millis / 1000.0));
    return lines;
  }

  private static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }
}
