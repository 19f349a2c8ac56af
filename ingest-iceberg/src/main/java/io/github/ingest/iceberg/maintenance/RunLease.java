package io.github.ingest.iceberg.maintenance;

import io.github.ingest.batch.RunFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small file in the table's metadata directory that a running batch rewrites every {@link
 * #HEARTBEAT}, so that maintenance never takes the files of a batch still running for orphans. A
 * run that ends removes its lease; a killed run's lease stops being renewed and is stale after
 * {@link #STALE}. The lease is named after its run ({@link RunFiles}), so maintenance knows when a
 * live run started and never moves the {@link io.github.ingest.iceberg.batch.RunFence} past it.
 *
 * <p>A lease is liveness, not safety: a run whose lease went stale (a paused JVM) is protected by
 * the fence, which refuses its commit once maintenance removed its files.
 *
 * <pre>{@code
 * try (RunLease lease = RunLease.hold(table, runId, started)) {
 *   // write and commit the batch
 * }
 * }</pre>
 */
public final class RunLease implements AutoCloseable {

  static final Duration HEARTBEAT = Duration.ofSeconds(10);
  static final Duration STALE = HEARTBEAT.multipliedBy(3);
  private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);

  private final FileIO io;
  private final String location;
  private final ScheduledExecutorService renewer;

  private RunLease(FileIO io, String location) {
    this.io = io;
    this.location = location;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "ingest-run-lease");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Takes the lease of run {@code runId}, which started at {@code started}, on {@code table} and
   * renews it until closed.
   */
  public static RunLease hold(Table table, String runId, Instant started) {
    RunLease lease = new RunLease(table.io(), location(table, RunFiles.lease(started, runId)));
    lease.renew();
    lease.renewer.scheduleWithFixedDelay(
        lease::renewQuietly, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    return lease;
  }

  /**
   * The runs whose lease on {@code table} was renewed within {@link #STALE} before {@code
   * nowMillis}, by run id, with when each started (unknown for the leases of releases before run
   * starts were in their names): runs that may still be running. Empty where the table's file
   * system cannot list files.
   */
  public static Map<String, Optional<Instant>> liveRuns(Table table, long nowMillis) {
    Map<String, Optional<Instant>> live = new HashMap<>();
    for (FileInfo file : leases(table)) {
      if (file.createdAtMillis() > nowMillis - STALE.toMillis()) {
        String name = file.location().substring(file.location().lastIndexOf('/') + 1);
        Optional<RunFiles.Run> named = RunFiles.runOfLease(name);
        if (named.isPresent()) {
          live.put(named.get().id(), Optional.of(named.get().startSecond()));
        } else {
          live.put(RunFiles.oldLeaseRun(name), Optional.empty());
        }
      }
    }
    return live;
  }

  /** Every lease file of {@code table}, live or stale. */
  static List<FileInfo> leases(Table table) {
    List<FileInfo> leases = new ArrayList<>();
    if (!(table.io() instanceof SupportsPrefixOperations)) {
      return leases;
    }
    // a directory, not a name prefix: Hadoop file systems list directories only
    String metadata = ((HasTableOperations) table).operations().metadataFileLocation("");
    for (FileInfo file : ((SupportsPrefixOperations) table.io()).listPrefix(metadata)) {
      if (isLease(file.location())) {
        leases.add(file);
      }
    }
    return leases;
  }

  /** Whether {@code location} is a lease file. */
  static boolean isLease(String location) {
    return RunFiles.isLease(location.substring(location.lastIndexOf('/') + 1));
  }

  private static String location(Table table, String leaseName) {
    return ((HasTableOperations) table).operations().metadataFileLocation(leaseName);
  }

  private void renew() {
    try (OutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      out.write(Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the run lease " + location, e);
    }
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) {
      LOG.warn("Cannot renew the run lease {}: {}", location, e.toString());
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      io.deleteFile(location);
    } catch (RuntimeException e) {
      LOG.warn("Cannot delete the run lease {}: {}", location, e.toString());
    }
  }
}
