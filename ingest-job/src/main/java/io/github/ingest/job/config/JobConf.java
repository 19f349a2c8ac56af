package io.github.ingest.job.config;

import io.github.ingest.core.balance.BalanceChanges;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MappingFiles;
import io.github.ingest.core.mapping.PartitionField;
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

  private static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";

  private final Configuration options;
  private final Map<String, String> catalogProperties;
  private final Properties kafkaProperties;
  private final boolean help;
  private final Command command;
  private final List<String> warnings;
  private transient Mapping mapping;

  private JobConf(
      Configuration options,
      Map<String, String> catalogProperties,
      Properties kafkaProperties,
      boolean help,
      Command command) {
    this(options, catalogProperties, kafkaProperties, help, command, Collections.emptyList());
  }

  private JobConf(
      Configuration options,
      Map<String, String> catalogProperties,
      Properties kafkaProperties,
      boolean help,
      Command command,
      List<String> warnings) {
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
          new Configuration(), Collections.emptyMap(), new Properties(), true, Command.RUN);
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
        conf.options, conf.catalogProperties, conf.kafkaProperties, false, command, warnings);
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
        kafka.setProperty(key.substring(JobOptions.KAFKA_PROPERTIES_PREFIX.length()), value);
      } else if (key.startsWith(JobOptions.CATALOG_PREFIX)
          && key.length() > JobOptions.CATALOG_PREFIX.length()) {
        catalog.put(key.substring(JobOptions.CATALOG_PREFIX.length()), value);
      } else {
        throw new IllegalArgumentException(unknownKey(key, false));
      }
    }
    JobConf conf = new JobConf(options, catalog, kafka, false, Command.RUN);
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
        .skipLostOffsets("skip".equals(options.get(JobOptions.ON_LOST_OFFSETS)))
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
        BadRecordPolicy.Action.parse(options.get(JobOptions.BAD_RECORDS_POLICY)),
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
  public Mapping mapping() {
    if (mapping == null) {
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
        read =
            read.withProperty(
                "write.distribution-mode",
                distribution.get().name().toLowerCase(java.util.Locale.ROOT));
      }
      mapping = read;
    }
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
    String warehouse = options.get(JobOptions.CATALOG_WAREHOUSE);
    if (warehouse.startsWith("s3://") || warehouse.startsWith("s3a://")) {
      properties.putIfAbsent("io-impl", S3_FILE_IO);
      // the JDK's HTTP client: Iceberg's default, Apache's, would add three libraries
      properties.putIfAbsent("http-client.type", "urlconnection");
      // Iceberg's default factory also makes Glue, KMS and DynamoDB clients, and tasks cannot
      // even deserialize it without those SDKs; this one makes the S3 client alone, the same way
      properties.putIfAbsent(
          "s3.client-factory-impl", "org.apache.iceberg.aws.s3.DefaultS3FileIOAwsClientFactory");
    } else if (!warehouse.contains("://")) {
      warehouse = Paths.get(warehouse).toAbsolutePath().toUri().toString();
    }
    properties.put("warehouse", warehouse);
    if (properties.containsKey("s3.endpoint")) {
      // S3-compatible endpoints ignore the region, but the AWS SDK insists on one
      properties.putIfAbsent("client.region", "us-east-1");
    }
    return properties;
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
    all.forEach(
        (k, v) -> text.append(k).append('=').append(isSecret(k) ? "******" : v).append('\n'));
    return text.toString();
  }

  static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return lower.contains("secret")
        || lower.contains("password")
        || lower.contains("sasl.jaas.config")
        || lower.contains("token")
        || lower.endsWith("credential");
  }

  private void validate() {
    require(JobOptions.BOOTSTRAP_SERVERS);
    require(JobOptions.TOPIC);
    try {
      options.get(JobOptions.KAFKA_TIMEOUT);
      options.getOptional(JobOptions.PARALLELISM);
      options.get(JobOptions.PROGRESS_INTERVAL);
      options.get(JobOptions.NOTHING_NEW_EXIT_CODE);
      options.get(JobOptions.COMMIT_GROUP_OFFSETS);
      options.get(JobOptions.MAX_OFFSETS_PER_PARTITION);
      options.get(JobOptions.BAD_RECORDS_MAX_RATIO);
      options.get(JobOptions.BAD_RECORDS_MAX_COUNT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid setting: " + e.getMessage(), e);
    }
    String onLost = options.get(JobOptions.ON_LOST_OFFSETS);
    if (!"fail".equals(onLost) && !"skip".equals(onLost)) {
      throw new IllegalArgumentException(
          "Invalid value for "
              + JobOptions.ON_LOST_OFFSETS.key()
              + ": "
              + onLost
              + " (expected fail or skip)");
    }
    try {
      badRecordPolicy();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid value for "
              + JobOptions.BAD_RECORDS_POLICY.key()
              + " or "
              + JobOptions.BAD_RECORDS_MAX_RATIO.key()
              + ": "
              + e.getMessage(),
          e);
    }
    String deadLetters = options.get(JobOptions.DEAD_LETTER_TABLE);
    if (deadLetters != null
        && (!deadLetters.contains(".")
            || deadLetters.startsWith(".")
            || deadLetters.endsWith("."))) {
      throw new IllegalArgumentException(
          "Invalid value for "
              + JobOptions.DEAD_LETTER_TABLE.key()
              + ": "
              + deadLetters
              + " (expected namespace.name)");
    }
    try {
      planOptions();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid value for "
              + JobOptions.STARTING_OFFSETS.key()
              + " or "
              + JobOptions.MAX_OFFSETS_PER_PARTITION.key()
              + ": "
              + e.getMessage(),
          e);
    }
    Integer parallelism = parallelism();
    if (parallelism != null && parallelism < 1) {
      throw new IllegalArgumentException(
          "Invalid value for " + JobOptions.PARALLELISM.key() + ": " + parallelism);
    }
    if (restartAttempts() < 0) {
      throw new IllegalArgumentException(
          "Invalid value for " + JobOptions.RESTART_ATTEMPTS.key() + ": " + restartAttempts());
    }
    for (ConfigOption<Integer> atLeastOne :
        List.of(
            JobOptions.MAINTENANCE_RETAIN_LAST,
            JobOptions.MAINTENANCE_MANIFEST_MIN_COUNT,
            JobOptions.MAINTENANCE_AFTER_RUN_MIN_FILES)) {
      if (options.get(atLeastOne) < 1) {
        throw new IllegalArgumentException(
            "Invalid value for " + atLeastOne.key() + ": " + options.get(atLeastOne));
      }
    }
    try {
      mapping();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid value for "
              + JobOptions.MAPPING.key()
              + " or "
              + JobOptions.PARTITIONING.key()
              + ": "
              + e.getMessage(),
          e);
    }
    String table = table().toString();
    if (!table.contains(".") || table.startsWith(".") || table.endsWith(".")) {
      throw new IllegalArgumentException(
          "Invalid value for "
              + JobOptions.TABLE.key()
              + ": "
              + table
              + " (expected namespace.name)");
    }
  }

  private void require(ConfigOption<String> option) {
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
