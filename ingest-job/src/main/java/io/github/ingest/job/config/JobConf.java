package io.github.ingest.job.config;

import io.github.ingest.core.balance.BalanceChanges;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MappingFiles;
import io.github.ingest.core.mapping.PartitionField;
import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.kafka.source.PlanOptions;
import io.github.ingest.kafka.source.StartingPosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The job's settings, resolved: from a properties file ({@code --config FILE}), then flags ({@code
 * --key value} or {@code --key=value}), later ones winning.
 *
 * <p>Over 300 lines because every declared setting is resolved and validated here, one precedence
 * rule and one validation pass for all; its getters are a line each. Argument and environment
 * parsing could move out next.
 */
public final class JobConf {

  private final Configuration options;
  private final Map<String, String> catalogProperties;
  private final Properties kafkaProperties;
  private final boolean help;
  private final Command command;
  private final List<String> warnings;
  private final Mapping mapping;

  private JobConf(
      Configuration options,
      Map<String, String> catalogProperties,
      Properties kafkaProperties,
      boolean help,
      Command command,
      Mapping mapping) {
    this(
        options,
        catalogProperties,
        kafkaProperties,
        help,
        command,
        Collections.emptyList(),
        mapping);
  }

  private JobConf(
      Configuration options,
      Map<String, String> catalogProperties,
      Properties kafkaProperties,
      boolean help,
      Command command,
      List<String> warnings,
      Mapping mapping) {
    this.mapping = mapping;
    this.options = options;
    this.catalogProperties = catalogProperties;
    this.kafkaProperties = kafkaProperties;
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
    Map<String, String> flags = new LinkedHashMap<>();
    String configFile = env.get(JobOptions.CONFIG_ENV);
    boolean help = false;
    Command command = Command.RUN;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ("--help".equals(arg) || "-h".equals(arg)) {
        help = true;
        continue;
      }
      if (i == 0 && Command.named(arg) != null) {
        command = Command.named(arg);
        continue;
      }
      if ("--dry-run".equals(arg)) {
        flags.put(JobOptions.MAINTENANCE_DRY_RUN.key(), "true");
        continue;
      }
      if ("--maintain".equals(arg)) {
        flags.put(JobOptions.MAINTENANCE_AFTER_RUN.key(), "true");
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException(
            "Invalid argument: " + arg + " (expected --key value, --config FILE or --help)");
      }
      String key;
      String value;
      int equals = arg.indexOf('=');
      if (equals > 0) {
        key = arg.substring(2, equals);
        value = arg.substring(equals + 1);
      } else {
        key = arg.substring(2);
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("Invalid argument: " + arg + " has no value");
        }
        value = args[++i];
      }
      if ("config".equals(key)) {
        configFile = value;
      } else {
        flags.put(key, value);
      }
    }
    if (help) {
      return new JobConf(
          new Configuration(), Collections.emptyMap(), new Properties(), true, Command.RUN, null);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    if (configFile != null) {
      settings.putAll(load(Paths.get(configFile)));
    }
    List<String> warnings = new ArrayList<>();
    settings.putAll(fromEnvironment(env, warnings));
    settings.putAll(flags);
    JobConf conf = resolve(settings);
    return new JobConf(
        conf.options,
        conf.catalogProperties,
        conf.kafkaProperties,
        false,
        command,
        warnings,
        conf.mapping);
  }

  /**
   * The settings of {@code INGEST_*} variables: a declared setting's {@link JobOptions#envName};
   * under {@code INGEST_KAFKA_PROPERTIES_} and {@code INGEST_CATALOG_} the rest in lower case with
   * underscores as dots ({@code INGEST_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} is {@code
   * kafka.properties.sasl.jaas.config}). Other {@code INGEST_*} variables are reported in {@code
   * warnings} and ignored: a platform may set variables of its own with the prefix.
   */
  static Map<String, String> fromEnvironment(Map<String, String> env, List<String> warnings) {
    Map<String, String> byEnvName = new LinkedHashMap<>();
    for (ConfigOption<?> option : JobOptions.all()) {
      byEnvName.put(JobOptions.envName(option.key()), option.key());
    }
    String kafkaPrefix = JobOptions.envName(JobOptions.KAFKA_PROPERTIES_PREFIX);
    String catalogPrefix = JobOptions.envName(JobOptions.CATALOG_PREFIX);
    Map<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(JobOptions.ENV_PREFIX) || name.equals(JobOptions.CONFIG_ENV)) {
        continue;
      }
      String key = byEnvName.get(name);
      if (key == null && name.startsWith(kafkaPrefix) && name.length() > kafkaPrefix.length()) {
        key = JobOptions.KAFKA_PROPERTIES_PREFIX + dotted(name.substring(kafkaPrefix.length()));
      } else if (key == null
          && name.startsWith(catalogPrefix)
          && name.length() > catalogPrefix.length()) {
        key = JobOptions.CATALOG_PREFIX + dotted(name.substring(catalogPrefix.length()));
      }
      if (key == null) {
        warnings.add("ignoring environment variable " + name + ": " + unknownKey(name, true));
      } else {
        settings.put(key, variable.getValue());
      }
    }
    return settings;
  }

  private static String dotted(String envName) {
    return envName.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** Resolves settings given as keys and values, as in a properties file. */
  public static JobConf resolve(Map<String, String> settings) {
    Configuration options = new Configuration();
    Map<String, String> catalog = new TreeMap<>();
    Properties kafka = new Properties();
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
          throw new IllegalArgumentException(unknownKafkaProperty(property));
        }
        kafka.setProperty(property, value);
      } else if (key.startsWith(JobOptions.CATALOG_PREFIX)
          && key.length() > JobOptions.CATALOG_PREFIX.length()) {
        catalog.put(key.substring(JobOptions.CATALOG_PREFIX.length()), value);
      } else {
        throw new IllegalArgumentException(unknownKey(key, false));
      }
    }
    validate(options);
    JobConf conf = new JobConf(options, catalog, kafka, false, Command.RUN, mapping(options));
    conf.validate();
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

  /** The settings with secrets redacted, one {@code key=value} a line, for logs. */
  public String describe() {
    Map<String, String> all = new TreeMap<>(options.toMap());
    catalogProperties().forEach((k, v) -> all.put(JobOptions.CATALOG_PREFIX + k, v));
    kafkaProperties.forEach(
        (k, v) -> all.put(JobOptions.KAFKA_PROPERTIES_PREFIX + k, String.valueOf(v)));
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

  /** The smallest value of each integer setting that has one. */
  private static final Map<ConfigOption<Integer>, Integer> MINIMUMS =
      Map.of(
          JobOptions.PARALLELISM, 1,
          JobOptions.RESTART_ATTEMPTS, 0,
          JobOptions.MAINTENANCE_RETAIN_LAST, 1,
          JobOptions.MAINTENANCE_MANIFEST_MIN_COUNT, 1,
          JobOptions.MAINTENANCE_AFTER_RUN_MIN_FILES, 1);

  /** Every declared setting parses, and numbers are in range. */
  private static void validate(Configuration options) {
    require(options, JobOptions.BOOTSTRAP_SERVERS);
    require(options, JobOptions.TOPIC);
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
    check(() -> mapping(options), JobOptions.MAPPING, JobOptions.PARTITIONING);
  }

  /** The settings that depend on others are consistent. */
  private void validate() {
    check(this::badRecordPolicy, JobOptions.BAD_RECORDS_POLICY, JobOptions.BAD_RECORDS_MAX_RATIO);
    check(this::planOptions, JobOptions.STARTING_OFFSETS, JobOptions.MAX_OFFSETS_PER_PARTITION);
    checkTableName(JobOptions.DEAD_LETTER_TABLE, options.get(JobOptions.DEAD_LETTER_TABLE));
    checkTableName(JobOptions.TABLE, table().toString());
    checkCatalog();
  }

  /**
   * Refuses catalogs that would lose a table on object storage: the default catalog, a SQLite file
   * on this machine, would die with the machine while the table's files and the consumer group's
   * offsets live on; a Hadoop catalog needs an atomic rename, which S3 does not have.
   */
  private void checkCatalog() {
    String warehouse = options.get(JobOptions.CATALOG_WAREHOUSE);
    if (!Catalogs.onS3(warehouse)) {
      return;
    }
    boolean catalogSet =
        options.contains(JobOptions.CATALOG_URI)
            || options.contains(JobOptions.CATALOG_TYPE)
            || catalogProperties.containsKey("catalog-impl");
    if (!catalogSet) {
      throw new IllegalArgumentException(
          "Invalid catalog for warehouse "
              + warehouse
              + ": the default catalog is a SQLite file on this machine ("
              + options.get(JobOptions.CATALOG_URI)
              + "), and the tables would be lost with the machine while their files and the"
              + " consumer group's offsets live on. Set catalog.uri to a shared catalog database"
              + " (e.g. jdbc:postgresql://...), or catalog.type");
    }
    if ("hadoop".equalsIgnoreCase(options.get(JobOptions.CATALOG_TYPE))
        && !options.get(JobOptions.ALLOW_HADOOP_CATALOG_ON_S3)) {
      throw new IllegalArgumentException(
          "Invalid catalog for warehouse "
              + warehouse
              + ": a Hadoop catalog commits by renaming files, which S3 does not do atomically,"
              + " so two commits can both succeed and one is lost. Use a jdbc, rest, glue or"
              + " hive catalog, or set "
              + JobOptions.ALLOW_HADOOP_CATALOG_ON_S3.key()
              + "=true to accept the risk");
    }
  }

  /** Resolves a value from {@code involved} settings; its failure names them. */
  private static void check(Supplier<?> resolve, ConfigOption<?>... involved) {
    try {
      resolve.get();
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

  private static ConfigOption<?> declared(String key) {
    for (ConfigOption<?> option : JobOptions.all()) {
      if (option.key().equals(key)) {
        return option;
      }
    }
    return null;
  }

  private static String unknownKey(String key, boolean env) {
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (ConfigOption<?> option : JobOptions.all()) {
      String candidate = env ? JobOptions.envName(option.key()) : option.key();
      int distance = distance(key, candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    String message = env ? "not a setting" : "Unknown setting: " + key;
    if (closest != null && best <= Math.max(2, key.length() / 3)) {
      message += " (did you mean " + closest + "?)";
    } else if (env) {
      message += " (Kafka client properties go under INGEST_KAFKA_PROPERTIES_*)";
    } else {
      message += " (Kafka client properties go under kafka.properties.*)";
    }
    return message;
  }

  private static String unknownKafkaProperty(String property) {
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String candidate : Secrets.kafkaProperties()) {
      int distance = distance(property, candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    String message =
        "Unknown Kafka client property: "
            + JobOptions.KAFKA_PROPERTIES_PREFIX
            + property
            + " (not a setting of Kafka's consumer or admin client";
    return closest != null && best <= Math.max(2, property.length() / 3)
        ? message + "; did you mean " + JobOptions.KAFKA_PROPERTIES_PREFIX + closest + "?)"
        : message + ")";
  }

  /** Levenshtein distance, for suggesting the key a typo meant. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static Map<String, String> load(Path file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read config file " + file + ": " + e, e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    properties
        .stringPropertyNames()
        .forEach(k -> settings.put(k, properties.getProperty(k).trim()));
    return settings;
  }

  /** The text of {@code --help}, generated from the declared settings. */
  public static String helpText() {
    return HelpText.generate();
  }
}
