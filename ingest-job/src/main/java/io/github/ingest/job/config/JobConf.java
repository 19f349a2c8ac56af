package io.github.ingest.job.config;

import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MappingFiles;
import io.github.ingest.core.mapping.PartitionField;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The job's settings, resolved: from a properties file ({@code --config FILE}), environment
 * variables, then flags ({@code --key value} or {@code --key=value}), later ones winning. {@link
 * CommandLine} reads those sources, {@link SettingChecks} checks the result. A typed view per
 * concern reads them: {@link #kafka}, {@link #tables}, {@link #badRecords}, {@link #maintenance},
 * {@link #run}.
 */
public final class JobConf {

  private final Configuration options;
  private final Command command;
  private final List<String> warnings;
  private final KafkaConf kafka;
  private final TableConf tables;
  private final BadRecordConf badRecords;
  private final DedupConf dedup;
  private final MaintenanceConf maintenance;
  private final RunConf run;

  private JobConf(
      Configuration options,
      Map<String, String> catalogProperties,
      Properties kafkaProperties,
      Map<String, String> flinkSettings,
      Mapping mapping,
      Command command,
      List<String> warnings) {
    this.options = options;
    this.command = command;
    this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
    this.kafka = new KafkaConf(options, kafkaProperties);
    this.tables = new TableConf(options, catalogProperties, mapping);
    this.badRecords = new BadRecordConf(options, tables.table());
    this.dedup = new DedupConf(options);
    this.maintenance = new MaintenanceConf(options);
    this.run = new RunConf(options, flinkSettings);
  }

  /**
   * Whether {@code args} ask for the help text, which needs no settings: {@code --help} or {@code
   * -h} as an argument, not as a setting's value.
   */
  public static boolean asksForHelp(String... args) {
    return CommandLine.asksForHelp(args);
  }

  /**
   * Parses command-line arguments alone.
   *
   * @throws IllegalArgumentException naming the bad argument, key or value
   */
  public static JobConf parse(String... args) {
    return parse(Collections.emptyMap(), args);
  }

  /**
   * Parses command-line arguments and the {@code INGEST_*} variables of {@code env}. A flag wins
   * over an environment variable, which wins over the properties file ({@code --config FILE} or
   * {@code INGEST_CONFIG}), which wins over the default.
   *
   * @throws IllegalArgumentException naming the bad argument, variable, key or value, or if the
   *     arguments ask for help (see {@link #asksForHelp})
   */
  public static JobConf parse(Map<String, String> env, String... args) {
    CommandLine line = CommandLine.parse(env, args);
    return resolve(line.settings, line.command, line.warnings);
  }

  /** Resolves settings given as keys and values, as in a properties file. */
  public static JobConf resolve(Map<String, String> settings) {
    return resolve(settings, Command.RUN, List.of());
  }

  private static JobConf resolve(
      Map<String, String> settings, Command command, List<String> warnings) {
    Configuration options = new Configuration();
    Map<String, String> catalog = new TreeMap<>();
    Properties kafka = new Properties();
    Map<String, String> flink = new TreeMap<>();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      String key = setting.getKey();
      String value = setting.getValue();
      ConfigOption<?> option = JobOptions.declared(key);
      if (option != null && JobOptions.passedToCatalog(option)) {
        catalog.put(key.substring(TableOptions.CATALOG_PREFIX.length()), value);
      } else if (option != null) {
        options.setString(key, value);
      } else if (under(key, KafkaOptions.PROPERTIES_PREFIX)) {
        String property = key.substring(KafkaOptions.PROPERTIES_PREFIX.length());
        if (!Secrets.isKafkaProperty(property)) {
          throw new IllegalArgumentException(Suggestions.unknownKafkaProperty(property));
        }
        kafka.setProperty(property, value);
      } else if (under(key, RunOptions.FLINK_PREFIX)) {
        flink.put(key.substring(RunOptions.FLINK_PREFIX.length()), value);
      } else if (under(key, TableOptions.CATALOG_PREFIX)) {
        catalog.put(key.substring(TableOptions.CATALOG_PREFIX.length()), value);
      } else {
        throw new IllegalArgumentException(Suggestions.unknownKey(key, false));
      }
    }
    SettingChecks.options(options);
    Mapping mapping =
        SettingChecks.check(
            () -> mapping(options), TableOptions.MAPPING, TableOptions.PARTITIONING);
    JobConf conf = new JobConf(options, catalog, kafka, flink, mapping, command, warnings);
    SettingChecks.consistent(conf, options, catalog);
    return conf;
  }

  private static boolean under(String key, String prefix) {
    return key.startsWith(prefix) && key.length() > prefix.length();
  }

  /** What the run does. */
  public Command command() {
    return command;
  }

  /** Whether to only print the plan of the next batch ({@code plan} command), writing nothing. */
  public boolean planOnly() {
    return command == Command.PLAN;
  }

  /** What the user should know about the settings, such as environment variables ignored. */
  public List<String> warnings() {
    return warnings;
  }

  /** The source: Kafka cluster, topic, group, and how a batch is planned. */
  public KafkaConf kafka() {
    return kafka;
  }

  /** The target table, its mapping and its catalog. */
  public TableConf tables() {
    return tables;
  }

  /** Bad records, tombstones and the dead-letter table. */
  public BadRecordConf badRecords() {
    return badRecords;
  }

  /** Deduplication by business key. */
  public DedupConf dedup() {
    return dedup;
  }

  /** How {@code maintain} and compaction after a run treat the tables. */
  public MaintenanceConf maintenance() {
    return maintenance;
  }

  /** How a run executes and reports. */
  public RunConf run() {
    return run;
  }

  /** What a run of the job does: the first argument. */
  public enum Command {
    /** Plan, ingest and commit one batch (the default). */
    RUN,
    /** Print the next batch's plan; write nothing. */
    PLAN,
    /** Compact, expire snapshots, remove orphans and rewrite manifests of the tables. */
    MAINTAIN;

    static Command named(String arg) {
      for (Command command : values()) {
        if (command.name().toLowerCase(Locale.ROOT).equals(arg)) {
          return command;
        }
      }
      return null;
    }
  }

  /** The settings with secrets redacted, one {@code key=value} a line, for logs. */
  public String describe() {
    Map<String, String> all = new TreeMap<>(options.toMap());
    tables.catalogProperties().forEach((k, v) -> all.put(TableOptions.CATALOG_PREFIX + k, v));
    kafka
        .passedThrough()
        .forEach((k, v) -> all.put(KafkaOptions.PROPERTIES_PREFIX + k, String.valueOf(v)));
    run.flinkSettings().forEach((k, v) -> all.put(RunOptions.FLINK_PREFIX + k, v));
    StringBuilder text = new StringBuilder();
    all.forEach((k, v) -> text.append(k).append('=').append(Secrets.shown(k, v)).append('\n'));
    return text.toString();
  }

  /**
   * The mapping, read once: the file {@code mapping} names, else the built-in balance-change
   * mapping, with the partitioning and distribution mode set.
   */
  private static Mapping mapping(Configuration options) {
    String file = options.get(TableOptions.MAPPING);
    Mapping read = file == null ? BalanceChanges.mapping() : MappingFiles.read(Paths.get(file));
    String partitioning = options.get(TableOptions.PARTITIONING);
    if (partitioning != null) {
      List<PartitionField> fields = new ArrayList<>();
      if (!partitioning.trim().equalsIgnoreCase("none")) {
        for (String field : partitioning.split(",(?![^(]*\\))")) {
          fields.add(PartitionField.parse(field));
        }
      }
      read = read.withPartitioning(fields);
    }
    Optional<TableOptions.DistributionMode> distribution =
        options.getOptional(TableOptions.DISTRIBUTION_MODE);
    if (distribution.isPresent()) {
      read = read.withProperty("write.distribution-mode", distribution.get().toString());
    }
    return read;
  }

  /** The text of {@code --help}, generated from the declared settings. */
  public static String helpText() {
    return HelpText.generate();
  }
}
