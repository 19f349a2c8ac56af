package io.github.ingest.job.config;

import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.TombstonePolicy;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MappingFiles;
import io.github.ingest.core.mapping.PartitionField;
import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.iceberg.sink.Routing;
import io.github.ingest.kafka.source.PlanOptions;
import io.github.ingest.kafka.source.StartingPosition;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The job's settings, resolved: from a properties file ({@code --config FILE}), environment
 * variables, then flags ({@code --key value} or {@code --key=value}), later ones winning. {@link
 * CommandLine} reads those sources, {@link SettingChecks} checks the result.
 *
 * <p>Over 300 lines because it is the one typed view of every setting: a getter for each, a line or
 * a few, and the pass-through maps of Kafka, catalog and Flink properties.
 */
public final class JobConf {

  private final Configuration options;
  private final Map<String, String> catalogProperties;
  private final Properties kafkaProperties;
  private final Map<String, String> flinkSettings;
  private final boolean help;
  private final Command command;
  private final List<String> warnings;
  private final Mapping mapping;

  private JobConf(
      Configuration options,
      Map<String, String> catalogProperties,
      Properties kafkaProperties,
      Map<String, String> flinkSettings,
      boolean help,
      Command command,
      List<String> warnings,
      Mapping mapping) {
    this.mapping = mapping;
    this.options = options;
    this.catalogProperties = catalogProperties;
    this.kafkaProperties = kafkaProperties;
    this.flinkSettings = Collections.unmodifiableMap(new TreeMap<>(flinkSettings));
    this.help = help;
    this.command = command;
    this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
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
   * @throws IllegalArgumentException naming the bad argument, variable, key or value
   */
  public static JobConf parse(Map<String, String> env, String... args) {
    CommandLine line = CommandLine.parse(env, args);
    if (line.help) {
      return new JobConf(
          new Configuration(),
          Collections.emptyMap(),
          new Properties(),
          Collections.emptyMap(),
          true,
          JobConf.Command.RUN,
          Collections.emptyList(),
          null);
    }
    JobConf conf = resolve(line.settings);
    return new JobConf(
        conf.options,
        conf.catalogProperties,
        conf.kafkaProperties,
        conf.flinkSettings,
        false,
        line.command,
        line.warnings,
        conf.mapping);
  }

  /** Resolves settings given as keys and values, as in a properties file. */
  public static JobConf resolve(Map<String, String> settings) {
    Configuration options = new Configuration();
    Map<String, String> catalog = new TreeMap<>();
    Properties kafka = new Properties();
    Map<String, String> flink = new TreeMap<>();
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      String key = setting.getKey();
      String value = setting.getValue();
      ConfigOption<?> option = declared(key);
      if (option != null && JobOptions.CATALOG_PASS_THROUGH.contains(option)) {
        catalog.put(key.substring(JobOptions.CATALOG_PREFIX.length()), value);
      } else if (option != null) {
        options.setString(key, value);
      } else if (key.startsWith(JobOptions.KAFKA_PROPERTIES_PREFIX)
          && key.length() > JobOptions.KAFKA_PROPERTIES_PREFIX.length()) {
        String property = key.substring(JobOptions.KAFKA_PROPERTIES_PREFIX.length());
        if (!Secrets.isKafkaProperty(property)) {
          throw new IllegalArgumentException(Suggestions.unknownKafkaProperty(property));
        }
        kafka.setProperty(property, value);
      } else if (key.startsWith(JobOptions.FLINK_PREFIX)
          && key.length() > JobOptions.FLINK_PREFIX.length()) {
        flink.put(key.substring(JobOptions.FLINK_PREFIX.length()), value);
      } else if (key.startsWith(JobOptions.CATALOG_PREFIX)
          && key.length() > JobOptions.CATALOG_PREFIX.length()) {
        catalog.put(key.substring(JobOptions.CATALOG_PREFIX.length()), value);
      } else {
        throw new IllegalArgumentException(Suggestions.unknownKey(key, false));
      }
    }
    SettingChecks.options(options, () -> mapping(options));
    JobConf conf =
        new JobConf(
            options,
            catalog,
            kafka,
            flink,
            false,
            Command.RUN,
            Collections.emptyList(),
            mapping(options));
    SettingChecks.consistent(conf, options, catalog);
    return conf;
  }

  public boolean help() {
    return help;
  }

  /** What the user should know about the settings, such as environment variables ignored. */
  public List<String> warnings() {
    return warnings;
  }

  /** How often a running batch reports its progress; zero for never. */
  public Duration progressInterval() {
    return options.get(JobOptions.PROGRESS_INTERVAL);
  }

  /** The exit code of a run that found nothing new. */
  public int nothingNewExitCode() {
    return options.get(JobOptions.NOTHING_NEW_EXIT_CODE);
  }

  /** Whether to only print the plan of the next batch ({@code plan} command), writing nothing. */
  public boolean planOnly() {
    return command == Command.PLAN;
  }

  /** What the run does. */
  public Command command() {
    return command;
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
        if (command.name().toLowerCase(java.util.Locale.ROOT).equals(arg)) {
          return command;
        }
      }
      return null;
    }
  }

  /** How the next batch's offsets are planned. */
  public PlanOptions planOptions() {
    return PlanOptions.forGroup(groupId())
        .startingAt(StartingPosition.parse(options.get(JobOptions.STARTING_OFFSETS)))
        .skipLostOffsets(options.get(JobOptions.ON_LOST_OFFSETS) == JobOptions.LostOffsets.SKIP)
        .maxOffsetsPerPartition(options.get(JobOptions.MAX_OFFSETS_PER_PARTITION))
        .acceptTopicId(options.getOptional(JobOptions.ACCEPT_TOPIC_ID).orElse(""));
  }

  /** The snapshot id of {@code table.accept-new-source}, or {@code ""}. */
  public String acceptedNewSource() {
    return options.getOptional(JobOptions.ACCEPT_NEW_SOURCE).orElse("").trim();
  }

  /** How rows reach the writers: the rule, or the routing forced. */
  public Routing.Choice routing() {
    return options.get(JobOptions.ROUTING);
  }

  /** The run id of a batch whose lost dead letters the operator gave up; {@code ""} for none. */
  public String abandonedDeadLettersRun() {
    return options.getOptional(JobOptions.ABANDON_DEAD_LETTERS_RUN).orElse("").trim();
  }

  /** How {@code maintain} treats the tables. */
  public MaintenanceConf maintenance() {
    return new MaintenanceConf(
        options.get(JobOptions.MAINTENANCE_SNAPSHOT_RETENTION),
        options.get(JobOptions.MAINTENANCE_RETAIN_LAST),
        options.get(JobOptions.MAINTENANCE_ORPHAN_AGE),
        options.get(JobOptions.MAINTENANCE_MANIFEST_MIN_COUNT),
        options.get(JobOptions.MAINTENANCE_DRY_RUN),
        options.get(JobOptions.MAINTENANCE_AFTER_RUN),
        options.get(JobOptions.MAINTENANCE_AFTER_RUN_MIN_FILES));
  }

  /** How often Flink restarts a failed task within the run. */
  public int restartAttempts() {
    return options.get(JobOptions.RESTART_ATTEMPTS);
  }

  /** What happens to bad records, and how many a batch tolerates. */
  public BadRecordPolicy badRecordPolicy() {
    return BadRecordPolicy.of(
        options.get(JobOptions.BAD_RECORDS_POLICY),
        options.get(JobOptions.BAD_RECORDS_MAX_RATIO),
        options.get(JobOptions.BAD_RECORDS_MAX_COUNT));
  }

  /** What happens to tombstones, records without a value. */
  public TombstonePolicy tombstonePolicy() {
    return options.get(JobOptions.TOMBSTONES_POLICY);
  }

  /** The dead-letter table: as set, or the target table's name with {@code _rejected}. */
  public TableIdentifier deadLetterTable() {
    String name = options.get(JobOptions.DEAD_LETTER_TABLE);
    if (name == null) {
      TableIdentifier target = table();
      return TableIdentifier.of(target.namespace(), target.name() + "_rejected");
    }
    return TableIdentifier.parse(name);
  }

  public boolean commitGroupOffsets() {
    return options.get(JobOptions.COMMIT_GROUP_OFFSETS);
  }

  public String bootstrapServers() {
    return options.get(JobOptions.BOOTSTRAP_SERVERS);
  }

  public String topic() {
    return options.get(JobOptions.TOPIC);
  }

  public String groupId() {
    return options.get(JobOptions.GROUP_ID);
  }

  public String clientId() {
    return options.get(JobOptions.CLIENT_ID);
  }

  public Duration kafkaTimeout() {
    return options.get(JobOptions.KAFKA_TIMEOUT);
  }

  public String sourceName() {
    return options.getOptional(JobOptions.SOURCE_NAME).orElse(topic());
  }

  /** The target table: as set, else the mapping's, else {@code ingest.<mapping name>}. */
  public TableIdentifier table() {
    String table = options.get(JobOptions.TABLE);
    if (table == null) {
      Mapping mapping = mapping();
      table = mapping.table() != null ? mapping.table() : "ingest." + mapping.name();
    }
    return TableIdentifier.parse(table);
  }

  /**
   * The mapping: the file {@code mapping} names, else the built-in balance-change mapping, with the
   * partitioning {@code table.partitioning} sets.
   */
  /** The mapping: the file's, or the built-in one, with the partitioning and mode set. */
  public Mapping mapping() {
    return mapping;
  }

  public String catalogName() {
    return options.get(JobOptions.CATALOG_NAME);
  }

  /** A parallelism set by the user, or null. */
  public Integer parallelism() {
    return options.getOptional(JobOptions.PARALLELISM).orElse(null);
  }

  /** Iceberg catalog properties: the {@code catalog.*} settings and their defaults. */
  public Map<String, String> catalogProperties() {
    Map<String, String> properties = new TreeMap<>(catalogProperties);
    properties.remove("name");
    if (!properties.containsKey("catalog-impl")) {
      properties.put("type", options.get(JobOptions.CATALOG_TYPE));
    }
    properties.put("uri", options.get(JobOptions.CATALOG_URI));
    properties.put("warehouse", options.get(JobOptions.CATALOG_WAREHOUSE));
    return Catalogs.withDefaults(properties);
  }

  /** Kafka client properties: the {@code kafka.properties.*} settings and bootstrap servers. */
  public Properties kafkaProperties() {
    Properties properties = new Properties();
    properties.putAll(kafkaProperties);
    properties.setProperty("bootstrap.servers", bootstrapServers());
    properties.setProperty("group.id", groupId());
    return properties;
  }

  /**
   * Flink settings for the embedded cluster of a run under {@code java -jar}: the {@code flink.*}
   * settings without the prefix, such as {@code metrics.reporter.*} or {@code
   * taskmanager.memory.*}. Under {@code flink run} the cluster's own configuration applies.
   */
  public Map<String, String> flinkSettings() {
    return flinkSettings;
  }

  /** Where to push the run's figures, if anywhere. */
  public Optional<String> pushgatewayUrl() {
    return options.getOptional(JobOptions.PUSHGATEWAY_URL).filter(url -> !url.trim().isEmpty());
  }

  /** The Pushgateway job label of the run's figures. */
  public String pushgatewayJob() {
    return options.get(JobOptions.PUSHGATEWAY_JOB);
  }

  /** The file to write the run's figures to as JSON, if any. */
  public Optional<Path> summaryJson() {
    return options.getOptional(JobOptions.SUMMARY_JSON).map(Paths::get);
  }

  /** The settings with secrets redacted, one {@code key=value} a line, for logs. */
  public String describe() {
    Map<String, String> all = new TreeMap<>(options.toMap());
    catalogProperties().forEach((k, v) -> all.put(JobOptions.CATALOG_PREFIX + k, v));
    kafkaProperties.forEach(
        (k, v) -> all.put(JobOptions.KAFKA_PROPERTIES_PREFIX + k, String.valueOf(v)));
    flinkSettings.forEach((k, v) -> all.put(JobOptions.FLINK_PREFIX + k, v));
    StringBuilder text = new StringBuilder();
    all.forEach((k, v) -> text.append(k).append('=').append(Secrets.shown(k, v)).append('\n'));
    return text.toString();
  }

  private static Mapping mapping(Configuration options) {
    String file = options.get(JobOptions.MAPPING);
    Mapping read = file == null ? BalanceChanges.mapping() : MappingFiles.read(Paths.get(file));
    String partitioning = options.get(JobOptions.PARTITIONING);
    if (partitioning != null) {
      List<PartitionField> fields = new ArrayList<>();
      if (!partitioning.trim().equalsIgnoreCase("none")) {
        for (String field : partitioning.split(",(?![^(]*\\))")) {
          fields.add(PartitionField.parse(field));
        }
      }
      read = read.withPartitioning(fields);
    }
    Optional<JobOptions.DistributionMode> distribution =
        options.getOptional(JobOptions.DISTRIBUTION_MODE);
    if (distribution.isPresent()) {
      read = read.withProperty("write.distribution-mode", distribution.get().toString());
    }
    return read;
  }

  private static ConfigOption<?> declared(String key) {
    for (ConfigOption<?> option : JobOptions.all()) {
      if (option.key().equals(key)) {
        return option;
      }
    }
    return null;
  }

  /** The text of {@code --help}, generated from the declared settings. */
  public static String helpText() {
    return HelpText.generate();
  }
}
