package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.core.testing.Ports;
import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.iceberg.table.TableSchemas;
import io.github.ingest.job.config.BalanceChanges;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad settings and unreachable services: one clear line on standard error, a distinct exit code (2
 * for a wrong setting, topic or table, 3 for a service that cannot be reached), no stack trace,
 * nothing committed.
 */
@ExtendWith(LocalStackExtension.class)
class StartFailuresITCase {

  private static final class Case {
    final String name;
    final int exitCode;
    final String message;
    final Consumer<Map<String, String>> settings;
    final String[] args;

    Case(
        String name,
        int exitCode,
        String message,
        Consumer<Map<String, String>> settings,
        String... args) {
      this.name = name;
      this.exitCode = exitCode;
      this.message = message;
      this.settings = settings;
      this.args = args;
    }
  }

  @Test
  void saysWhatIsWrongInOneLineAndStartsNothing(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "start_failures", 1);
    source.produce(5);
    Path workDir = source.workDir;
    int closed = Ports.free();
    createIncompatibleTable(source.settings, "lake.incompatible");

    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            "no settings", 2, "ingest: Missing setting kafka.bootstrap-servers", s -> s.clear()));
    cases.add(
        new Case(
            "no topic",
            2,
            "ingest: Missing setting kafka.topic: The Kafka topic to ingest. Required.",
            s -> s.remove("kafka.topic")));
    cases.add(
        new Case(
            "typo",
            2,
            "ingest: Unknown setting: kafka.topik (did you mean kafka.topic?)",
            s -> s.put("kafka.topik", "x")));
    cases.add(
        new Case(
            "unknown key",
            2,
            "ingest: Unknown setting: colour (Kafka client properties go under kafka.properties.*)",
            s -> s.put("colour", "blue")));
    cases.add(
        new Case(
            "parallelism not a number",
            2,
            "ingest: Invalid setting: Could not parse value 'two' for key 'job.parallelism'",
            s -> s.put("job.parallelism", "two")));
    cases.add(
        new Case(
            "parallelism zero",
            2,
            "ingest: Invalid value for job.parallelism: 0",
            s -> s.put("job.parallelism", "0")));
    cases.add(
        new Case(
            "timeout not a duration",
            2,
            "ingest: Invalid setting: Could not parse value 'soon' for key 'kafka.timeout'",
            s -> s.put("kafka.timeout", "soon")));
    cases.add(
        new Case(
            "table without namespace",
            2,
            "ingest: Invalid value for table: balance_changes (expected namespace.name)",
            s -> s.put("table", "balance_changes")));
    cases.add(
        new Case(
            "dead-letter table without namespace",
            2,
            "ingest: Invalid value for dead-letter.table: rejected. (expected namespace.name)",
            s -> s.put("dead-letter.table", "rejected.")));
    cases.add(
        new Case(
            "a window of days on a table without time partitions",
            2,
            "ingest: nothing started: Table ingest.lake.flat has no time partition field (year,"
                + " month, day or hour of a column), so a window of 7 partitions means nothing; set"
                + " the window to all, or partition the table by time",
            s -> {
              s.put("dedup.key", "bln_chg_key");
              s.put("table", "lake.flat");
              s.put("table.partitioning", "none");
            }));
    cases.add(
        new Case(
            "policy",
            2,
            "ingest: Invalid value for bad-records.policy: ignore (expected dead-letter, fail or skip)",
            s -> s.put("bad-records.policy", "ignore")));
    cases.add(
        new Case(
            "ratio",
            2,
            "Invalid maximum ratio of bad records: 2.0 (expected 0 to 1)",
            s -> s.put("bad-records.max-ratio", "2")));
    cases.add(
        new Case(
            "starting offsets",
            2,
            "Invalid starting position 'first': expected earliest, latest or timestamp:<ISO-8601 instant or epoch millis>",
            s -> s.put("kafka.starting-offsets", "first")));
    cases.add(
        new Case(
            "starting timestamp",
            2,
            "Invalid starting position 'timestamp:monday'",
            s -> s.put("kafka.starting-offsets", "timestamp:monday")));
    cases.add(
        new Case(
            "lost offsets",
            2,
            "ingest: Invalid value for kafka.on-lost-offsets: maybe (expected fail or skip)",
            s -> s.put("kafka.on-lost-offsets", "maybe")));
    cases.add(
        new Case(
            "negative cap",
            2,
            "Invalid maximum offsets per partition: -1",
            s -> s.put("batch.max-offsets-per-partition", "-1")));
    cases.add(
        new Case(
            "boolean",
            2,
            "ingest: Invalid setting: Could not parse value 'perhaps' for key 'kafka.commit-group-offsets'",
            s -> s.put("kafka.commit-group-offsets", "perhaps")));
    cases.add(
        new Case(
            "config file",
            2,
            "ingest: Cannot read config file " + workDir.resolve("missing.properties"),
            s -> {},
            "--config",
            workDir.resolve("missing.properties").toString()));
    cases.add(
        new Case(
            "flag without value",
            2,
            "ingest: Invalid argument: --job.parallelism has no value",
            s -> {},
            "--job.parallelism"));
    cases.add(
        new Case(
            "stray argument",
            2,
            "ingest: Invalid argument: now (expected --key value, --config FILE or --help)",
            s -> {},
            "run",
            "now"));
    cases.add(
        new Case(
            "catalog type",
            2,
            "ingest: nothing started: Invalid catalog type for catalog ingest: oracle",
            s -> s.put("catalog.type", "oracle")));
    cases.add(
        new Case(
            "unknown topic",
            2,
            "ingest: nothing started: Cannot find Kafka topic no_such_topic",
            s -> s.put("kafka.topic", "no_such_topic")));
    cases.add(
        new Case(
            "incompatible table",
            2,
            "ingest: nothing started: Cannot write to table ingest.lake.incompatible with mapping balance_changes: column bln_chg_player_id is string in the table, int in the mapping, which is not a safe widening",
            s -> s.put("table", "lake.incompatible")));
    cases.add(
        new Case(
            "unreachable broker",
            3,
            "ingest: nothing started: Cannot reach Kafka: ",
            s -> {
              s.put("kafka.bootstrap-servers", Ports.LOOPBACK + ":" + closed);
              s.put("kafka.timeout", "3 s");
            }));
    cases.add(
        new Case(
            "unreachable S3",
            3,
            "ingest: nothing started: Cannot reach the catalog or its warehouse: ",
            s -> {
              s.put("catalog.s3.endpoint", "http://" + Ports.LOOPBACK + ":" + closed);
              s.put("catalog.uri", "jdbc:sqlite:" + workDir.resolve("other-catalog.db"));
            }));
    cases.add(
        new Case(
            "missing bucket",
            3,
            "ingest: nothing started: Cannot reach the catalog or its warehouse: ",
            s -> {
              s.put("catalog.warehouse", "s3://no-such-bucket/warehouse");
              s.put("catalog.uri", "jdbc:sqlite:" + workDir.resolve("third-catalog.db"));
            }));
    cases.add(
        new Case(
            "unreachable catalog database",
            3,
            "ingest: nothing started: Cannot reach the catalog: ",
            s -> s.put("catalog.uri", "jdbc:sqlite:" + workDir.resolve("no/such/dir/catalog.db"))));
    cases.add(
        new Case(
            "unreachable REST catalog",
            3,
            "ingest: nothing started: Cannot reach the catalog: ",
            s -> {
              s.put("catalog.type", "rest");
              s.put("catalog.uri", "http://" + Ports.LOOPBACK + ":" + closed);
            }));
    cases.add(
        new Case(
            "unreachable PostgreSQL catalog: the jar brings the driver, and does not retry",
            3,
            "ingest: nothing started: Cannot reach the catalog: Failed to connect:"
                + " jdbc:postgresql://"
                + Ports.LOOPBACK
                + ":"
                + closed
                + "/iceberg (Connection refused)",
            s -> {
              s.put(
                  "catalog.uri", "jdbc:postgresql://" + Ports.LOOPBACK + ":" + closed + "/iceberg");
              s.put("catalog.jdbc.user", "ingest");
              s.put("catalog.jdbc.password", "hush");
            }));
    cases.add(
        new Case(
            "unreachable Glue catalog: the jar brings the AWS Glue client",
            3,
            "ingest: nothing started: Cannot reach the catalog or its warehouse: Unable to execute"
                + " HTTP request: Connection refused",
            s -> {
              s.put("catalog.type", "glue");
              s.put("catalog.glue.endpoint", "http://" + Ports.LOOPBACK + ":" + closed);
              s.put(
                  "catalog.client.credentials-provider",
                  "software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider");
            }));

    SoftAssertions softly = new SoftAssertions();
    for (Case bad : cases) {
      Map<String, String> settings = new LinkedHashMap<>(source.settings);
      bad.settings.accept(settings);
      JobRunner.Result run = JobRunner.run(workDir, settings, bad.args);
      softly
          .assertThat(run.exitCode)
          .as("exit code of %s: %s", bad.name, run)
          .isEqualTo(bad.exitCode);
      softly.assertThat(run.stderr).as("message of %s", bad.name).contains(bad.message);
      softly.assertThat(run.stderr).as("stack trace of %s", bad.name).doesNotContain("\tat ");
      softly.assertThat(run.stdout).as("output of %s", bad.name).isEmpty();
    }
    softly.assertAll();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
    if (TableReader.exists(source.settings, Scenario.TABLE)) {
      assertThat(source.batches()).as("batches after all the failed starts").isEmpty();
    }
  }

  private static void createIncompatibleTable(Map<String, String> settings, String name) {
    JobConf conf = JobConf.resolve(settings);
    Catalog catalog =
        Catalogs.loader(conf.tables().catalogName(), conf.tables().catalogProperties())
            .loadCatalog();
    ((SupportsNamespaces) catalog).createNamespace(Namespace.of("lake"));
    List<Types.NestedField> columns = new ArrayList<>();
    for (Types.NestedField column : TableSchemas.schema(BalanceChanges.mapping()).columns()) {
      columns.add(
          column.name().equals("bln_chg_player_id")
              ? Types.NestedField.optional(column.fieldId(), column.name(), Types.StringType.get())
              : column);
    }
    catalog.createTable(
        TableIdentifier.parse(name), new Schema(columns), PartitionSpec.unpartitioned());
  }
}
