package io.github.ingest.job.config;

import io.github.ingest.iceberg.sink.Routing;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * How a run executes and reports: parallelism, restarts, routing, progress, exit code and figures.
 */
public final class RunOptions {

  /** Keys under this prefix are Flink settings of the embedded cluster, passed through. */
  public static final String FLINK_PREFIX = "flink.";

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("job.parallelism")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Readers and writers in parallel; default the smaller of the partitions to read and"
                  + " the available cores, or on a cluster the parallelism of flink run -p or"
                  + " parallelism.default.");

  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      ConfigOptions.key("job.restart-attempts")
          .intType()
          .defaultValue(0)
          .withDescription(
              "How often Flink restarts a failed task within the run, 10 s apart, whatever the"
                  + " cluster's restart strategy; 0 leaves retries to the scheduler's next run."
                  + " Restarts are safe: a committer that runs again recognises its batch.");

  public static final ConfigOption<Routing.Choice> ROUTING =
      ConfigOptions.key("batch.routing")
          .enumType(Routing.Choice.class)
          .defaultValue(Routing.Choice.AUTO)
          .withDescription(
              "How rows reach the writers. auto: by partition (one file per partition) while the"
                  + " batch is estimated under a Parquet row group a writer and partition, else"
                  + " each writer writes the rows its reader read (no exchange, every core busy);"
                  + " a table whose write.distribution-mode is none, or that is not partitioned,"
                  + " goes by writer. partition or writer force one. The run's output says which"
                  + " and why.");

  public static final ConfigOption<Duration> PROGRESS_INTERVAL =
      ConfigOptions.key("progress.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(3))
          .withDescription(
              "How often a running batch prints records done of planned, rate and ETA; 0 for"
                  + " never. On a cluster the counts move with the task heartbeats"
                  + " (heartbeat.interval, 10 s by default).");

  public static final ConfigOption<Integer> NOTHING_NEW_EXIT_CODE =
      ConfigOptions.key("exit-code.nothing-new")
          .intType()
          .defaultValue(0)
          .withDescription(
              "Exit code of a run that found nothing new, e.g. 99 for Airflow's"
                  + " skip_on_exit_code; the default 0 counts it as a success.");

  public static final ConfigOption<String> PUSHGATEWAY_URL =
      ConfigOptions.key("metrics.pushgateway.url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A Prometheus Pushgateway, e.g. http://pushgateway:9091: every run pushes its"
                  + " figures there when it ends, committed, with nothing new or failed (see"
                  + " docs/operations.md).");

  public static final ConfigOption<String> PUSHGATEWAY_JOB =
      ConfigOptions.key("metrics.pushgateway.job")
          .stringType()
          .defaultValue("ingest")
          .withDescription(
              "The job label of the pushed figures; the instance label is the table, with the"
                  + " topic and group as labels of the group too.");

  public static final ConfigOption<String> SUMMARY_JSON =
      ConfigOptions.key("summary-json")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A file to write the run's figures to as JSON when it ends, for a scheduler to"
                  + " read (--summary-json FILE).");

  private RunOptions() {}
}
