package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.FlinkCluster;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded job jar, unchanged, on a real standalone Flink cluster: a JobManager and two
 * TaskManagers as their own JVMs, the job submitted by Flink's command-line client.
 */
@ExtendWith(LocalStackExtension.class)
class FlinkClusterITCase {

  private static final Pattern WRITER =
      Pattern.compile("-(\\d{5})-\\d+-[0-9a-f-]+-\\d{5}\\.parquet$");

  @Test
  void theShadedJarRunsWithFlinkRunOnAStandaloneCluster(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "on_cluster", 4);
    List<BalanceChangeMessage> first = source.produce(4000);
    source.settings.put("table.partitioning", "none");
    source.settings.put("progress.interval", "1 s");

    try (FlinkCluster cluster = FlinkCluster.start(stack.newDirectory("flink-"), 2)) {
      JobRunner.Result run =
          cluster
              .submit(source.workDir, List.of("--parallelism", "2"), source.settings, Map.of())
              .await();

      assertThat(run.exitCode).as(run + cluster.logs()).isZero();
      assertThat(run.stdout)
          .contains("Job has been submitted with JobID")
          .contains("Batch 1 of kafka://" + stack.kafka().clusterId() + "/on_cluster")
          .contains("4000 read, 4000 written, 0 rejected")
          .contains("runtime mode BATCH");
      source.assertEveryMessageOnce();
      source.assertDataFilesNamedByBatch(true);

      // the job ran on the cluster, its readers and writers two in parallel
      String jobs = cluster.rest("/jobs/overview");
      assertThat(jobs).contains("\"state\":\"FINISHED\"").contains("ingest on_cluster batch 1");
      Table table = source.table();
      Set<String> writers =
          dataFiles(table).stream()
              .map(path -> WRITER.matcher(path))
              .filter(Matcher::find)
              .map(m -> m.group(1))
              .collect(Collectors.toSet());
      assertThat(writers)
          .as(dataFiles(table).toString())
          .containsExactlyInAnyOrder("00000", "00001");

      // deduplicated on the cluster: its tasks read the table's keys and route by key
      source.produce(100);
      source.send(first.subList(0, 50), 0);
      source.settings.put("dedup.key", "bln_chg_key");
      source.settings.put("dedup.window", "all");
      JobRunner.Result deduplicated =
          cluster
              .submit(source.workDir, List.of("--parallelism", "2"), source.settings, Map.of())
              .await();
      assertThat(deduplicated.exitCode).as(deduplicated + cluster.logs()).isZero();
      assertThat(deduplicated.stdout).contains("150 read, 100 written, 0 rejected, 50 duplicates");
      source.assertEveryMessageOnce();

      // nothing new: no job is submitted, the client ends normally
      JobRunner.Result nothing =
          cluster.submit(source.workDir, List.of(), source.settings, Map.of()).await();
      assertThat(nothing.exitCode).as(nothing.toString()).isZero();
      assertThat(nothing.stdout).contains("Nothing new on topic on_cluster since batch 2");

      // a failure ends Flink's client with its own exit code, the reason in one line
      source.settings.put("kafka.topic", "no_such_topic");
      JobRunner.Result failed =
          cluster.submit(source.workDir, List.of(), source.settings, Map.of()).await();
      assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
      assertThat(failed.stderr)
          .contains("ingest: nothing started: ")
          .contains("no_such_topic")
          .contains("ingest ended with exit code 2");
      source.assertBatchNumbers(2);
    }
  }

  private static List<String> dataFiles(Table table) {
    return org.apache.iceberg.relocated.com.google.common.collect.Lists.newArrayList(
            table.currentSnapshot().addedDataFiles(table.io()))
        .stream()
        .map(DataFile::path)
        .map(Object::toString)
        .collect(Collectors.toList());
  }
}
