package io.github.ingest.job.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;

/**
 * Where settings come from, before they mean anything: the arguments, the {@code INGEST_*}
 * environment variables and the properties file, merged by precedence (a flag wins over a variable,
 * a variable over the file).
 */
final class CommandLine {

  final JobConf.Command command;
  final Map<String, String> settings;
  final List<String> warnings;

  private CommandLine(
      JobConf.Command command, Map<String, String> settings, List<String> warnings) {
    this.command = command;
    this.settings = Collections.unmodifiableMap(settings);
    this.warnings = Collections.unmodifiableList(warnings);
  }

  /** Whether {@code args} hold {@code --help} or {@code -h} where a flag goes, not as a value. */
  static boolean asksForHelp(String... args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ("--help".equals(arg) || "-h".equals(arg)) {
        return true;
      }
      boolean takesValue =
          arg.startsWith("--")
              && arg.indexOf('=') < 0
              && !"--dry-run".equals(arg)
              && !"--maintain".equals(arg);
      if (takesValue && i + 1 < args.length && !args[i + 1].startsWith("--")) {
        i++;
      }
    }
    return false;
  }

  /**
   * Reads {@code args} and {@code env}, and the properties file either names.
   *
   * @throws IllegalArgumentException naming the bad argument, or the file that cannot be read
   */
  static CommandLine parse(Map<String, String> env, String... args) {
    Map<String, String> flags = new LinkedHashMap<>();
    String configFile = env.get(JobOptions.CONFIG_ENV);
    JobConf.Command command = JobConf.Command.RUN;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ("--help".equals(arg) || "-h".equals(arg)) {
        throw new IllegalArgumentException(
            "Invalid argument: " + arg + " (the help text needs no settings: ask for it alone)");
      }
      if (i == 0 && JobConf.Command.named(arg) != null) {
        command = JobConf.Command.named(arg);
        continue;
      }
      if ("--dry-run".equals(arg)) {
        flags.put(MaintenanceOptions.MAINTENANCE_DRY_RUN.key(), "true");
        continue;
      }
      if ("--maintain".equals(arg)) {
        flags.put(MaintenanceOptions.MAINTENANCE_AFTER_RUN.key(), "true");
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
    Map<String, String> settings = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    if (configFile != null) {
      settings.putAll(load(Paths.get(configFile)));
    }
    settings.putAll(fromEnvironment(env, warnings));
    settings.putAll(flags);
    return new CommandLine(command, settings, warnings);
  }

  /**
   * The settings of {@code INGEST_*} variables: a declared setting's {@link JobOptions#envName};
   * under {@code INGEST_KAFKA_PROPERTIES_}, {@code INGEST_CATALOG_} and {@code INGEST_FLINK_} the
   * rest in lower case with underscores as dots ({@code INGEST_KAFKA_PROPERTIES_SASL_JAAS_CONFIG}
   * is {@code kafka.properties.sasl.jaas.config}; a key with a hyphen or a capital needs the file
   * or a flag). Other {@code INGEST_*} variables are reported in {@code warnings} and ignored: a
   * platform may set variables of its own with the prefix.
   */
  static Map<String, String> fromEnvironment(Map<String, String> env, List<String> warnings) {
    Map<String, String> byEnvName = new LinkedHashMap<>();
    for (ConfigOption<?> option : JobOptions.all()) {
      byEnvName.put(JobOptions.envName(option.key()), option.key());
    }
    Map<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(JobOptions.ENV_PREFIX) || name.equals(JobOptions.CONFIG_ENV)) {
        continue;
      }
      String key = byEnvName.get(name);
      for (String prefix : JobOptions.PASS_THROUGH_PREFIXES) {
        String envPrefix = JobOptions.envName(prefix);
        if (key == null && name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
          key = prefix + dotted(name.substring(envPrefix.length()));
        }
      }
      if (key == null) {
        warnings.add(
            "ignoring environment variable " + name + ": " + Suggestions.unknownKey(name, true));
      } else {
        settings.put(key, variable.getValue());
      }
    }
    return settings;
  }

  private static String dotted(String envName) {
    return envName.toLowerCase(Locale.ROOT).replace('_', '.');
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
}
