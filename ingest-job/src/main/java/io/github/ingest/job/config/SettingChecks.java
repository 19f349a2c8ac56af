package io.github.ingest.job.config;

import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.TombstonePolicy;
import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.iceberg.dedup.Deduplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The checks of resolved settings: each declared one parses and is in range, the ones that depend
 * on each other agree, and the catalog will not lose a table. Each failure names the settings.
 */
final class SettingChecks {

  private SettingChecks() {}

  /** The smallest value of each integer setting that has one. */
  private static final Map<ConfigOption<Integer>, Integer> MINIMUMS =
      Map.of(
          RunOptions.PARALLELISM, 1,
          RunOptions.RESTART_ATTEMPTS, 0,
          MaintenanceOptions.MAINTENANCE_RETAIN_LAST, 1,
          MaintenanceOptions.MAINTENANCE_MANIFEST_MIN_COUNT, 1,
          MaintenanceOptions.MAINTENANCE_AFTER_RUN_MIN_FILES, 1);

  /** Every declared setting parses, and numbers are in range. */
  static void options(Configuration options) {
    require(options, KafkaOptions.BOOTSTRAP_SERVERS);
    require(options, KafkaOptions.TOPIC);
    for (ConfigOption<?> option : JobOptions.all()) {
      try {
        options.getOptional(option);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(invalid(options, option, e), e);
      }
    }
    MINIMUMS.forEach(
        (option, minimum) ->
            options
                .getOptional(option)
                .filter(value -> value < minimum)
                .ifPresent(
                    value -> {
                      throw new IllegalArgumentException(
                          "Invalid value for " + option.key() + ": " + value);
                    }));
  }

  /** The settings that depend on others are consistent. */
  static void consistent(JobConf conf, Configuration options, Map<String, String> catalog) {
    check(
        conf.badRecords()::policy,
        BadRecordOptions.BAD_RECORDS_POLICY,
        BadRecordOptions.BAD_RECORDS_MAX_RATIO);
    check(
        conf.kafka()::planOptions,
        KafkaOptions.STARTING_OFFSETS,
        KafkaOptions.MAX_OFFSETS_PER_PARTITION);
    tombstones(conf);
    dedup(conf);
    maintenanceAges(options);
    checkTableName(
        BadRecordOptions.DEAD_LETTER_TABLE, options.get(BadRecordOptions.DEAD_LETTER_TABLE));
    checkTableName(TableOptions.TABLE, conf.tables().table().toString());
    catalog(options, catalog);
  }

  /**
   * Refuses catalogs that would lose a table on object storage: the default catalog, a SQLite file
   * on this machine, would die with the machine while the table's files and the consumer group's
   * offsets live on; a Hadoop catalog needs an atomic rename, which S3 does not have.
   */
  private static void catalog(Configuration options, Map<String, String> catalogProperties) {
    String warehouse = options.get(TableOptions.CATALOG_WAREHOUSE);
    if (!Catalogs.onS3(warehouse)) {
      return;
    }
    boolean catalogSet =
        options.contains(TableOptions.CATALOG_URI)
            || options.contains(TableOptions.CATALOG_TYPE)
            || catalogProperties.containsKey("catalog-impl");
    if (!catalogSet) {
      throw new IllegalArgumentException(
          "Invalid catalog for warehouse "
              + warehouse
              + ": the default catalog is a SQLite file on this machine ("
              + options.get(TableOptions.CATALOG_URI)
              + "), and the tables would be lost with the machine while their files and the"
              + " consumer group's offsets live on. Set catalog.uri to a shared catalog database"
              + " (e.g. jdbc:postgresql://...), or catalog.type");
    }
    if ("hadoop".equalsIgnoreCase(options.get(TableOptions.CATALOG_TYPE))
        && !options.get(TableOptions.ALLOW_HADOOP_CATALOG_ON_S3)) {
      throw new IllegalArgumentException(
          "Invalid catalog for warehouse "
              + warehouse
              + ": a Hadoop catalog commits by renaming files, which S3 does not do atomically,"
              + " so two commits can both succeed and one is lost. Use a jdbc, rest, glue or"
              + " hive catalog, or set "
              + TableOptions.ALLOW_HADOOP_CATALOG_ON_S3.key()
              + "=true to accept the risk");
    }
  }

  /**
   * Maintenance ages that cannot hurt: Iceberg's own orphan-file procedure refuses an age under a
   * day, because a younger file may belong to a write that has not committed yet.
   */
  private static void maintenanceAges(Configuration options) {
    if (options.get(MaintenanceOptions.MAINTENANCE_ALLOW_SHORT_AGES)) {
      return;
    }
    shortAge(options, MaintenanceOptions.MAINTENANCE_ORPHAN_AGE, Duration.ofHours(24), "24 hours");
    shortAge(
        options, MaintenanceOptions.MAINTENANCE_SNAPSHOT_RETENTION, Duration.ofHours(1), "1 hour");
  }

  private static void shortAge(
      Configuration options, ConfigOption<Duration> option, Duration minimum, String words) {
    Duration age = options.get(option);
    if (age.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Invalid value for %s: %s is under %s, which can break batches and queries still"
                  + " running (%s). Set %s=true to accept that",
              option.key(),
              options.toMap().get(option.key()),
              words,
              JobOptions.text(option),
              MaintenanceOptions.MAINTENANCE_ALLOW_SHORT_AGES.key()));
    }
  }

  /**
   * {@code option} set to dead-letter needs the dead-letter table, which only {@code
   * bad-records.policy=dead-letter} keeps; {@code alternative} ends the message.
   */
  private static void needsDeadLetterTable(
      JobConf conf, ConfigOption<?> option, String alternative) {
    BadRecordPolicy.Action action = conf.badRecords().policy().action();
    if (action != BadRecordPolicy.Action.DEAD_LETTER) {
      throw new IllegalArgumentException(
          "Invalid value for "
              + option.key()
              + ": dead-letter needs "
              + BadRecordOptions.BAD_RECORDS_POLICY.key()
              + "=dead-letter, which keeps the dead-letter table (it is "
              + action
              + ")"
              + alternative);
    }
  }

  /** Deduplication that the bad-record policy and the mapping can follow. */
  private static void dedup(JobConf conf) {
    conf.dedup().window();
    if (conf.dedup().enabled() && conf.dedup().duplicates() == Deduplication.Action.DEAD_LETTER) {
      needsDeadLetterTable(conf, DedupOptions.DEDUP_DUPLICATES, "; or set dedup.duplicates=skip");
    }
    for (String column : conf.dedup().keyColumns()) {
      if (conf.tables().mapping().columns().stream().noneMatch(c -> c.name().equals(column))) {
        throw new IllegalArgumentException(
            "Invalid value for "
                + DedupOptions.DEDUP_KEY.key()
                + ": "
                + column
                + " is not a column of mapping "
                + conf.tables().mapping().name());
      }
    }
  }

  /** A tombstone policy that the bad-record policy and the mapping can follow. */
  private static void tombstones(JobConf conf) {
    TombstonePolicy policy = conf.badRecords().tombstonePolicy();
    if (policy == TombstonePolicy.DEAD_LETTER) {
      needsDeadLetterTable(conf, BadRecordOptions.TOMBSTONES_POLICY, "");
    }
    if (policy == TombstonePolicy.ROW) {
      conf.tables().mapping().columns().stream()
          .filter(column -> column.required() && column.source().isField())
          .findFirst()
          .ifPresent(
              column -> {
                throw new IllegalArgumentException(
                    "Invalid value for "
                        + BadRecordOptions.TOMBSTONES_POLICY.key()
                        + ": row leaves every column from the value NULL, but column "
                        + column.name()
                        + " of mapping "
                        + conf.tables().mapping().name()
                        + " is required");
              });
    }
  }

  /** Resolves a value from {@code involved} settings; its failure names them. */
  /** What {@code resolve} resolves; its failure as the invalid value of {@code involved}. */
  static <T> T check(Supplier<T> resolve, ConfigOption<?>... involved) {
    try {
      return resolve.get();
    } catch (IllegalArgumentException e) {
      List<String> keys = new ArrayList<>();
      for (ConfigOption<?> option : involved) {
        keys.add(option.key());
      }
      throw new IllegalArgumentException(
          "Invalid value for " + String.join(" or ", keys) + ": " + e.getMessage(), e);
    }
  }

  private static void checkTableName(ConfigOption<?> option, String name) {
    if (name != null && (!name.contains(".") || name.startsWith(".") || name.endsWith("."))) {
      throw new IllegalArgumentException(
          "Invalid value for " + option.key() + ": " + name + " (expected namespace.name)");
    }
  }

  /** What is wrong with {@code option}'s value: for a choice, the choices. */
  private static String invalid(
      Configuration options, ConfigOption<?> option, IllegalArgumentException e) {
    Enum<?>[] constants = JobOptions.choices(option);
    if (constants != null) {
      List<String> choices = new ArrayList<>();
      for (Enum<?> constant : constants) {
        choices.add(constant.toString());
      }
      return String.format(
          "Invalid value for %s: %s (expected %s or %s)",
          option.key(),
          options.toMap().get(option.key()),
          String.join(", ", choices.subList(0, choices.size() - 1)),
          choices.get(choices.size() - 1));
    }
    return "Invalid setting: " + e.getMessage();
  }

  private static void require(Configuration options, ConfigOption<String> option) {
    String value = options.get(option);
    if (value == null || value.trim().isEmpty()) {
      throw new IllegalArgumentException(
          "Missing setting " + option.key() + ": " + JobOptions.text(option));
    }
  }
}
