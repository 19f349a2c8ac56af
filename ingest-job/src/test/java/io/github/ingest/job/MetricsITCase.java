package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.Pushgateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A run's figures where schedulers and monitoring read them: a real Pushgateway's {@code /metrics}
 * and the {@code --summary-json} file, after runs that commit, fail and find nothing new.
 */
@ExtendWith(LocalStackExtension.class)
class MetricsITCase {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyRunPushesItsFiguresAndWritesThemAsJson(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "metered", 2);
    Path summaryFile = source.workDir.resolve("summary.json");
    try (Pushgateway gateway = Pushgateway.start(source.workDir)) {
      source.settings.put("metrics.pushgateway.url", gateway.url());
      source.settings.put("summary-json", summaryFile.toString());
      source.settings.put("bad-records.max-ratio", "0.5");
      String[] group = {
        "job=\"ingest\"",
        "instance=\"" + Scenario.TABLE + "\"",
        "topic=\"metered\"",
        "group=\"ingest\""
      };

      // batch 1: 8 good and 2 bad records, and a retry of a good one
      source.settings.put("dedup.key", "bln_chg_key");
      List<BalanceChangeMessage> good = source.produce(8);
      source.produceBad(2);
      source.send(good.subList(0, 1), 0);
      JobRunner.Result first = source.run();
      assertThat(first.exitCode).as(first.toString()).isZero();
      assertThat(gateway.value("ingest_run_exit_code", group)).isZero();
      assertThat(gateway.value("ingest_run_records_read", group)).isEqualTo(11);
      assertThat(gateway.value("ingest_run_records_written", group)).isEqualTo(8);
      assertThat(gateway.value("ingest_run_records_rejected", group)).isEqualTo(2);
      assertThat(gateway.value("ingest_run_records_duplicates", group)).isEqualTo(1);
      assertThat(gateway.value("ingest_batch_number", group)).isEqualTo(1);
      assertThat(gateway.value("ingest_lag_records", append(group, "partition=\"0\""))).isZero();
      assertThat(gateway.value("ingest_lag_records", append(group, "partition=\"1\""))).isZero();
      double firstSuccess = gateway.value("ingest_last_success_timestamp_seconds", group);
      assertThat(firstSuccess).isCloseTo(System.currentTimeMillis() / 1000.0, within(120.0));
      assertThat(gateway.value("ingest_run_duration_seconds", group)).isPositive();
      JsonNode summary = JSON.readTree(summaryFile.toFile());
      assertThat(summary.get("outcome").asText()).isEqualTo("committed");
      assertThat(summary.get("exit_code").asInt()).isZero();
      assertThat(summary.get("batch").asLong()).isEqualTo(1);
      assertThat(summary.get("records_read").asLong()).isEqualTo(11);
      assertThat(summary.get("records_written").asLong()).isEqualTo(8);
      assertThat(summary.get("records_rejected").asLong()).isEqualTo(2);
      assertThat(summary.get("records_duplicates").asLong()).isEqualTo(1);
      assertThat(summary.get("source").asText())
          .startsWith("kafka://")
          .endsWith("/metered?group=ingest");
      assertThat(summary.get("snapshot_id").asLong())
          .isEqualTo(source.table().currentSnapshot().snapshotId());
      assertThat(summary.has("last_success_at")).isTrue();

      // batch 2: capped at one offset a partition, two left behind in each
      source.produce(6);
      source.settings.put("batch.max-offsets-per-partition", "1");
      JobRunner.Result capped = source.run();
      source.settings.remove("batch.max-offsets-per-partition");
      assertThat(capped.exitCode).as(capped.toString()).isZero();
      assertThat(gateway.value("ingest_batch_number", group)).isEqualTo(2);
      assertThat(gateway.value("ingest_run_records_read", group)).isEqualTo(2);
      assertThat(gateway.value("ingest_lag_records", append(group, "partition=\"0\"")))
          .isEqualTo(2);
      assertThat(gateway.value("ingest_lag_records", append(group, "partition=\"1\"")))
          .isEqualTo(2);
      double secondSuccess = gateway.value("ingest_last_success_timestamp_seconds", group);
      assertThat(secondSuccess).isGreaterThan(firstSuccess);

      // a failed run: one more bad record on partition 0, and no bad record tolerated
      source.produceBad(1);
      source.settings.put("bad-records.max-ratio", "0");
      JobRunner.Result failed = source.run();
      source.settings.put("bad-records.max-ratio", "0.5");
      assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
      assertThat(gateway.value("ingest_run_exit_code", group)).isEqualTo(1);
      assertThat(gateway.value("ingest_run_records_read", group)).isZero();
      assertThat(gateway.value("ingest_batch_number", group)).isEqualTo(2);
      assertThat(gateway.value("ingest_lag_records", append(group, "partition=\"0\"")))
          .isEqualTo(3);
      assertThat(gateway.value("ingest_lag_records", append(group, "partition=\"1\"")))
          .isEqualTo(2);
      assertThat(gateway.value("ingest_last_success_timestamp_seconds", group))
          .as("a failed run leaves the last success as it was")
          .isEqualTo(secondSuccess);
      summary = JSON.readTree(summaryFile.toFile());
      assertThat(summary.get("outcome").asText()).isEqualTo("failed");
      assertThat(summary.get("exit_code").asInt()).isEqualTo(1);
      assertThat(summary.get("message").asText()).contains("bad-records.max-ratio");
      assertThat(summary.has("last_success_at")).isFalse();

      // batch 3 takes the rest; then nothing new
      JobRunner.Result third = source.run();
      assertThat(third.exitCode).as(third.toString()).isZero();
      assertThat(gateway.value("ingest_batch_number", group)).isEqualTo(3);
      assertThat(gateway.value("ingest_run_records_read", group)).isEqualTo(5);
      JobRunner.Result idle = source.run();
      assertThat(idle.exitCode).as(idle.toString()).isZero();
      assertThat(idle.stdout).contains("Nothing new");
      assertThat(gateway.value("ingest_run_exit_code", group)).isZero();
      assertThat(gateway.value("ingest_run_records_read", group)).isZero();
      assertThat(gateway.value("ingest_batch_number", group)).isEqualTo(3);
      assertThat(gateway.value("ingest_lag_records", append(group, "partition=\"0\""))).isZero();
      assertThat(gateway.value("ingest_last_success_timestamp_seconds", group))
          .isGreaterThan(secondSuccess);
      summary = JSON.readTree(summaryFile.toFile());
      assertThat(summary.get("outcome").asText()).isEqualTo("nothing-new");
      assertThat(summary.get("batch").asLong()).isEqualTo(3);
    }
    source.assertEveryMessageOnce();
  }

  @Test
  void aPushgatewayThatIsDownIsAWarningNotAFailedRun(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "unmetered", 1);
    source.produce(3);
    source.settings.put("metrics.pushgateway.url", "http://127.0.0.1:1");
    JobRunner.Result run = source.run();
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stderr)
        .contains("ingest: warning: cannot push the run's figures to http://127.0.0.1:1");
    source.assertEveryMessageOnce();
  }

  /**
   * Flink's own reporters under the release's launcher: {@code flink.*} settings configure the
   * embedded cluster, and a reporter's jar in {@code plugins/} is on its class path.
   */
  @Test
  void flinkSettingsReachTheEmbeddedClusterAndItsReporters(LocalStack stack) throws Exception {
    Path home = JobRunner.installRelease(stack.newDirectory("release-"));
    Path reporterJar =
        Paths.get(
            PrometheusPushGatewayReporterFactory.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    Files.copy(reporterJar, home.resolve("plugins").resolve(reporterJar.getFileName()));
    Scenario source = Scenario.create(stack, "reported", 1);
    source.produce(5);
    try (Pushgateway gateway = Pushgateway.start(source.workDir)) {
      Map<String, String> settings = source.settings;
      String reporter = "flink.metrics.reporter.push.";
      settings.put(
          reporter + "factory.class", PrometheusPushGatewayReporterFactory.class.getName());
      settings.put(reporter + "hostUrl", gateway.url());
      settings.put(reporter + "jobName", "ingest-flink");
      settings.put(reporter + "randomJobNameSuffix", "false");
      settings.put(reporter + "deleteOnShutdown", "false");
      settings.put(reporter + "interval", "200 ms");
      JobRunner.Result batch = JobRunner.runLauncher(home, source.workDir, settings, "run");
      assertThat(batch.exitCode).as(batch.toString()).isZero();
      // the group Flink's reporter pushed to; which metrics its last push held depends on how
      // far the cluster's shutdown had gone, so the push itself is what is asserted
      assertThat(gateway.series("push_time_seconds", "job=\"ingest-flink\""))
          .as("Flink's reporter, configured by flink.* settings, pushed from the embedded cluster")
          .hasSize(1);
      assertThat(gateway.value("push_failure_time_seconds", "job=\"ingest-flink\"")).isZero();
    }
    source.assertEveryMessageOnce();
  }

  private static String[] append(String[] labels, String label) {
    String[] all = java.util.Arrays.copyOf(labels, labels.length + 1);
    all[labels.length] = label;
    return all;
  }
}
