package io.github.ingest.job.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.TimeUtils;

/**
 * {@code docs/settings.md}: every declared setting by concern, with its default, environment
 * variable, choices and description, generated from the declarations so it cannot drift from them
 * ({@code SettingsReferenceTest} checks the file).
 */
public final class SettingsReference {

  private static final Map<Class<?>, String> TITLES =
      Map.of(
          KafkaOptions.class, "Kafka: the source and its batches",
          TableOptions.class, "The table and its catalog",
          StorageOptions.class, "S3",
          BadRecordOptions.class, "Bad records, tombstones and dead letters",
          DedupOptions.class, "Deduplication by business key",
          MaintenanceOptions.class, "Maintenance",
          RunOptions.class, "The run: parallelism, restarts, routing, reporting");

  private SettingsReference() {}

  /** Prints the reference, for {@code docs/settings.md}. */
  public static void main(String[] args) {
    System.out.print(markdown());
  }

  /** The reference as Markdown. */
  public static String markdown() {
    StringBuilder text = new StringBuilder();
    text.append("# Settings\n\n")
        .append(
            "<!-- Generated from the declared settings by SettingsReference; do not edit. -->\n\n")
        .append("Each setting is a flag (`--key value` or `--key=value`), an environment variable")
        .append(" or a line of the properties file (`--config FILE` or `INGEST_CONFIG`); a flag")
        .append(" wins over a variable, a variable over the file. `ingest-job --help` prints the")
        .append(" same list. [`conf/ingest.properties.example`](../conf/ingest.properties.example)")
        .append(" is a file to start from.\n");
    for (Class<?> concern : JobOptions.CONCERNS) {
      text.append("\n## ").append(TITLES.get(concern)).append("\n\n");
      text.append("| setting | default | variable | what it does |\n|---|---|---|---|\n");
      for (ConfigOption<?> option : JobOptions.all()) {
        if (JobOptions.concern(option) == concern) {
          row(text, option);
        }
      }
    }
    text.append("\n## Passed through\n\n")
        .append("| keys | variables | what they are |\n|---|---|---|\n")
        .append("| `")
        .append(KafkaOptions.PROPERTIES_PREFIX)
        .append("*` | `INGEST_KAFKA_PROPERTIES_*` | Kafka client properties, e.g.")
        .append(" `kafka.properties.security.protocol=SASL_SSL` |\n")
        .append("| `")
        .append(TableOptions.CATALOG_PREFIX)
        .append("*` | `INGEST_CATALOG_*` | Iceberg catalog properties, e.g.")
        .append(" `catalog.jdbc.user=ingest` |\n")
        .append("| `")
        .append(RunOptions.FLINK_PREFIX)
        .append("*` | `INGEST_FLINK_*` | Flink settings of the embedded cluster under `java")
        .append(" -jar`, e.g. `flink.taskmanager.memory.process.size=2g` |\n\n")
        .append("A variable's name maps to the key in lower case with dots for underscores, so a")
        .append(" passed-through key with a hyphen or a capital goes in the file or a flag.\n");
    return text.toString();
  }

  private static void row(StringBuilder text, ConfigOption<?> option) {
    String description = JobOptions.text(option).replace("|", "\\|");
    Enum<?>[] choices = JobOptions.choices(option);
    if (choices != null) {
      description +=
          " Choices: "
              + Arrays.stream(choices).map(c -> "`" + c + "`").collect(Collectors.joining(", "))
              + ".";
    }
    text.append("| `")
        .append(option.key())
        .append("` | ")
        .append(option.hasDefaultValue() ? "`" + defaultText(option) + "`" : "")
        .append(" | `")
        .append(JobOptions.envName(option.key()))
        .append("` | ")
        .append(description)
        .append(" |\n");
  }

  /** The default as a user writes it: durations as {@code 30 s}. */
  static String defaultText(ConfigOption<?> option) {
    Object value = option.defaultValue();
    return value instanceof Duration
        ? TimeUtils.formatWithHighestUnit((Duration) value)
        : String.valueOf(value);
  }
}
