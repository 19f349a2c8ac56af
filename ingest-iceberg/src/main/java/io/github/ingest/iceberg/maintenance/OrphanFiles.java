package io.github.ingest.iceberg.maintenance;

import io.github.ingest.batch.RunFiles;
import io.github.ingest.iceberg.batch.RunFence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which files of a table are orphans that maintenance may remove: only files whose names say which
 * run wrote them ({@link RunFiles}), whose run started before the table's {@link RunFence} (so it
 * can never commit them), is not protected (a live lease, dead letters still pending), that no
 * snapshot references, and that are older than the orphan age; and leases that went stale.
 */
final class OrphanFiles {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanFiles.class);

  private final Table table;
  private final Instant fence;
  private final long olderThanMillis;
  private final long staleLeaseMillis;

  /**
   * Orphans of {@code table} under {@code fence}, among files created before {@code
   * olderThanMillis}; leases not renewed since {@code staleLeaseMillis} are stale.
   */
  OrphanFiles(Table table, Instant fence, long olderThanMillis, long staleLeaseMillis) {
    this.table = table;
    this.fence = fence;
    this.olderThanMillis = olderThanMillis;
    this.staleLeaseMillis = staleLeaseMillis;
  }

  /**
   * Whether a file named {@code name}, created at {@code createdAtMillis} and referenced by no
   * snapshot, is an orphan: its run is certainly revoked by the fence and not among {@code
   * protect}.
   */
  boolean isOrphan(String name, long createdAtMillis, Set<String> protect) {
    Optional<RunFiles.Run> run = RunFiles.runOf(name);
    return run.isPresent()
        && run.get().revokedBy(fence)
        && !protect.contains(run.get().id())
        && createdAtMillis < olderThanMillis;
  }

  /**
   * The orphans among the table's data and metadata files; the runs {@code protect} keep theirs.
   */
  List<FileInfo> find(Set<String> protect) {
    SupportsPrefixOperations files = (SupportsPrefixOperations) table.io();
    Set<String> manifests = new HashSet<>();
    Set<String> referenced = referencedFiles(manifests);
    List<FileInfo> orphans = new ArrayList<>();
    boolean matchedOne = referenced.isEmpty();
    for (FileInfo file : files.listPrefix(dataLocation(table))) {
      if (referenced.contains(key(file.location()))) {
        matchedOne = true;
      } else if (isOrphan(name(file.location()), file.createdAtMillis(), protect)) {
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
      return List.of();
    }
    String metadata = ((HasTableOperations) table).operations().metadataFileLocation("");
    for (FileInfo file : files.listPrefix(metadata)) {
      String name = name(file.location());
      if (RunLease.isLease(file.location())) {
        if (file.createdAtMillis() < Math.min(olderThanMillis, staleLeaseMillis)) {
          orphans.add(file);
        }
      } else if (RunFiles.isDeadLetterManifest(name)) {
        if (!manifests.contains(key(file.location()))
            && isOrphan(name, file.createdAtMillis(), protect)) {
          orphans.add(file);
        }
      } else if (isOldDeadLetterManifest(name, protect)
          && !manifests.contains(key(file.location()))
          && file.createdAtMillis() < olderThanMillis) {
        orphans.add(file);
      }
    }
    return orphans;
  }

  /**
   * A dead-letter manifest named by an earlier release, after its run's id only: runs of that
   * release are not fenced, so it goes by its age and its run's protection, as that release did.
   */
  private static boolean isOldDeadLetterManifest(String name, Set<String> protect) {
    Optional<String> run = RunFiles.oldDeadLetterManifestRun(name);
    return run.isPresent() && !protect.contains(run.get());
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
