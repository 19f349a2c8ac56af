package io.github.ingest.job.config;

import java.time.Duration;

/** The resolved {@code maintenance.*} settings. */
public final class MaintenanceConf {

  private final Duration snapshotRetention;
  private final int retainLast;
  private final Duration orphanAge;
  private final int manifestMinCount;
  private final boolean dryRun;
  private final boolean afterRun;
  private final int afterRunMinFiles;

  MaintenanceConf(
      Duration snapshotRetention,
      int retainLast,
      Duration orphanAge,
      int manifestMinCount,
      boolean dryRun,
      boolean afterRun,
      int afterRunMinFiles) {
    this.snapshotRetention = snapshotRetention;
    this.retainLast = retainLast;
    this.orphanAge = orphanAge;
    this.manifestMinCount = manifestMinCount;
    this.dryRun = dryRun;
    this.afterRun = afterRun;
    this.afterRunMinFiles = afterRunMinFiles;
  }

  public Duration snapshotRetention() {
    return snapshotRetention;
  }

  public int retainLast() {
    return retainLast;
  }

  public Duration orphanAge() {
    return orphanAge;
  }

  public int manifestMinCount() {
    return manifestMinCount;
  }

  public boolean dryRun() {
    return dryRun;
  }

  public boolean afterRun() {
    return afterRun;
  }

  public int afterRunMinFiles() {
    return afterRunMinFiles;
  }
}
