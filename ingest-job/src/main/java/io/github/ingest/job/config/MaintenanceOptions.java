package io.github.ingest.job.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The {@code maintenance.*} settings of {@code maintain} and of compaction after a run. */
public final class MaintenanceOptions {

  public static final ConfigOption<Duration> MAINTENANCE_SNAPSHOT_RETENTION =
      ConfigOptions.key("maintenance.snapshot-retention")
          .durationType()
          .defaultValue(Duration.ofDays(7))
          .withDescription(
              "maintain expires snapshots older than this (time travel and rollbacks reach"
                  + " back this far), but keeps maintenance.retain-last of them.");

  public static final ConfigOption<Integer> MAINTENANCE_RETAIN_LAST =
      ConfigOptions.key("maintenance.retain-last")
          .intType()
          .defaultValue(50)
          .withDescription("maintain keeps at least this many of the newest snapshots.");

  public static final ConfigOption<Duration> MAINTENANCE_ORPHAN_AGE =
      ConfigOptions.key("maintenance.orphan-age")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription(
              "maintain removes a file of a failed run (named after its batch, referenced by no"
                  + " snapshot, its run not running) only once it is older than this.");

  public static final ConfigOption<Boolean> MAINTENANCE_ALLOW_SHORT_AGES =
      ConfigOptions.key("maintenance.allow-short-ages")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Accept a maintenance.orphan-age under 24 hours or a"
                  + " maintenance.snapshot-retention under 1 hour. Without it they are refused:"
                  + " a shorter orphan age revokes batches that run longer (they fail, exit 1),"
                  + " and a shorter retention removes files that running queries still read.");

  public static final ConfigOption<Integer> MAINTENANCE_MANIFEST_MIN_COUNT =
      ConfigOptions.key("maintenance.manifest-min-count")
          .intType()
          .defaultValue(16)
          .withDescription(
              "maintain rewrites the manifests once at least this many are smaller than"
                  + " commit.manifest.target-size-bytes.");

  public static final ConfigOption<Boolean> MAINTENANCE_DRY_RUN =
      ConfigOptions.key("maintenance.dry-run")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "maintain only prints what it would do, with counts and bytes; also the flag"
                  + " --dry-run.");

  public static final ConfigOption<Boolean> MAINTENANCE_AFTER_RUN =
      ConfigOptions.key("maintenance.after-run")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "After a committed batch, compact the table once a partition holds"
                  + " maintenance.after-run-min-files small files; also the flag --maintain.");

  public static final ConfigOption<Integer> MAINTENANCE_AFTER_RUN_MIN_FILES =
      ConfigOptions.key("maintenance.after-run-min-files")
          .intType()
          .defaultValue(8)
          .withDescription(
              "With maintenance.after-run, the small files one partition must hold before a run"
                  + " compacts.");

  private MaintenanceOptions() {}
}
