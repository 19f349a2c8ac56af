package io.github.ingest.job.config;

import io.github.ingest.core.internal.ExitCode;
import org.apache.flink.configuration.ConfigOption;

/**
 * {@code --help}: the commands, every declared setting with its default and variable, exit codes.
 */
final class HelpText {

  private HelpText() {}

  /** The help text, generated from the declared options. */
  static String generate() {
    StringBuilder text = new StringBuilder();
    text.append("Usage: ingest-job [run|plan|maintain] [--config FILE] [--KEY VALUE ...]\n")
        .append("       ingest-job --version | --help\n\n")
        .append("Ingests what arrived on a Kafka topic since the last successful batch into an\n")
        .append("Iceberg table, then stops.\n")
        .append("  run   (default) plan, ingest and commit one batch\n")
        .append("  plan  print the next batch's source, number and offsets; write nothing\n")
        .append("  maintain  compact small files, expire snapshots, remove the files of failed\n")
        .append("        runs and rewrite small manifests of the table and its dead-letter table\n")
        .append("        (--dry-run: print what it would do)\n\n")
        .append("Each setting is a flag (--KEY VALUE or --KEY=VALUE), an environment variable\n")
        .append(
            "(in brackets) or a line of the properties file (--config FILE or INGEST_CONFIG);\n")
        .append("a flag wins over a variable, a variable over the file.\n\n")
        .append("Settings:\n");
    for (ConfigOption<?> option : JobOptions.all()) {
      text.append("  ").append(option.key());
      if (option.hasDefaultValue()) {
        text.append(" (default: ").append(SettingsReference.defaultText(option)).append(')');
      }
      text.append(" [").append(JobOptions.envName(option.key())).append("]\n");
      wrap(text, JobOptions.text(option));
    }
    text.append("  ")
        .append(KafkaOptions.PROPERTIES_PREFIX)
        .append("* [INGEST_KAFKA_PROPERTIES_*]\n");
    wrap(
        text,
        "Kafka client properties, passed through, e.g."
            + " kafka.properties.security.protocol=SASL_SSL.");
    text.append("  ").append(TableOptions.CATALOG_PREFIX).append("* [INGEST_CATALOG_*]\n");
    wrap(
        text,
        "Iceberg catalog properties, passed through, e.g. catalog.jdbc.user=ingest. A"
            + " variable's name maps to the key in lower case with dots for underscores, so keys"
            + " with a hyphen go in the file or a flag.");
    text.append("  ").append(RunOptions.FLINK_PREFIX).append("* [INGEST_FLINK_*]\n");
    wrap(
        text,
        "Flink settings of the embedded cluster under java -jar, passed through, e.g."
            + " flink.metrics.reporter.push.factory.class=...; under flink run the cluster's"
            + " configuration applies. Flink's keys have capitals (taskmanager.numberOfTaskSlots):"
            + " give those in the file or a flag.");
    text.append("\nExit codes:\n");
    for (ExitCode code : ExitCode.values()) {
      text.append("  ").append(code.code()).append("  ").append(code.help()).append('\n');
    }
    return text.toString();
  }

  private static void wrap(StringBuilder text, String paragraph) {
    int width = 0;
    text.append("      ");
    for (String word : paragraph.split(" ")) {
      if (width > 0 && width + 1 + word.length() > 88) {
        text.append("\n      ");
        width = 0;
      } else if (width > 0) {
        text.append(' ');
        width++;
      }
      text.append(word);
      width += word.length();
    }
    text.append('\n');
  }
}
