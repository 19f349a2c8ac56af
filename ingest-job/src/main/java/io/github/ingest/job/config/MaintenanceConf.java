package io.github.ingest.job.config;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/** The resolved {@link MaintenanceOptions}. */
public final class MaintenanceConf {

  private final Duration snapshotRetention;
  private final int retainLast;
  private final Duration orphanAge;
  private final int manifestMinCount;
  private final boolean dryRun;
  private final boolean afterRun;
  private final int afterRunMinFiles;

  MaintenanceConf(Configuration options) {
    this.snapshotRetention = options.get(MaintenanceOptions.MAINTENANCE_SNAPSHOT_RETENTION);
    this.retainLast = options.get(MaintenanceOptions.MAINTENANCE_RETAIN_LAST);
    this.orphanAge = options.get(MaintenanceOptions.MAINTENANCE_ORPHAN_AGE);
    this.manifestMinCount = options.get(MaintenanceOptions.MAINTENANCE_MANIFEST_MIN_COUNT);
    this.dryRun = options.get(MaintenanceOptions.MAINTENANCE_DRY_RUN);
    this.afterRun = options.get(MaintenanceOptions.MAINTENANCE_AFTER_RUN);
    this.afterRunMinFiles = options.get(MaintenanceOptions.MAINTENANCE_AFTER_RUN_MIN_FILES);
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
