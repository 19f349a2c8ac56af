package io.github.ingest.job;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.job.metrics.Outcome;
import io.github.ingest.job.metrics.Pushgateway;
import io.github.ingest.job.metrics.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one batch: ingests what arrived on a Kafka topic since the last successful batch into an
 * Iceberg table, then stops.
 *
 * <pre>{@code
 * java -jar ingest-job.jar --config ingest.properties
 * flink run ingest-job.jar --kafka.bootstrap-servers broker:9092 --kafka.topic balance_changes
 * }</pre>
 */
public final class IngestJob {

  /** The batch was committed, or there was nothing new. */
  public static final int EXIT_OK = ExitCode.OK.code();

  /** The batch failed; nothing was committed. */
  public static final int EXIT_FAILED = ExitCode.FAILED.code();

  /** A setting, the topic, the table or the source's state needs a person; nothing was started. */
  public static final int EXIT_BAD_CONFIG = ExitCode.BAD_CONFIG.code();

  /** Kafka, the catalog or the storage could not be reached; nothing was started. */
  public static final int EXIT_UNREACHABLE = ExitCode.UNREACHABLE.code();

  /** Another run committed the planned batch first; this run committed nothing. */
  public static final int EXIT_CONFLICT = ExitCode.CONFLICT.code();

  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

  private IngestJob() {}

  /**
   * Runs the job and exits with its exit code. When {@code flink run} invoked it, it returns or
   * throws instead: the JVM is Flink's client, or in application mode the JobManager, and exiting
   * would take it down; Flink's client then exits 0 or 1.
   */
  public static void main(String[] args) throws JobFailedException {
    int code = run(args, System.getenv(), System.out, System.err);
    if (!Submission.onCluster(StreamExecutionEnvironment.getExecutionEnvironment())) {
      System.exit(code);
    }
    if (code != EXIT_OK) {
      throw new JobFailedException(code);
    }
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Instant started = Instant.now();
    if (args.length == 1 && "--version".equals(args[0])) {
      out.print(Versions.text());
      return EXIT_OK;
    }
    if (JobConf.asksForHelp(args)) {
      out.print(JobConf.helpText());
      return EXIT_OK;
    }
    JobConf conf;
    try {
      conf = JobConf.parse(env, args);
    } catch (IllegalArgumentException e) {
      err.println("ingest: " + e.getMessage());
      err.println("Run with --help for the settings.");
      return EXIT_BAD_CONFIG;
    }
    conf.warnings().forEach(warning -> err.println("ingest: warning: " + warning));
    LOG.info("Settings:\n{}", conf.describe());
    if (conf.command() == JobConf.Command.MAINTAIN) {
      try {
        new Maintenance(conf, out).run();
        return EXIT_OK;
      } catch (Exception e) {
        return failed(e, ExitCodes.maintenanceFailure(e, conf.tables().table()), err);
      }
    }
    RunSummary summary =
        new RunSummary(
            conf.tables().table().toString(),
            conf.kafka().topic(),
            conf.kafka().groupId(),
            started);
    int code;
    try {
      Outcome outcome = new BatchRun(conf, Clock.systemUTC(), out, summary).run();
      code = ExitCodes.code(outcome, conf.run().nothingNewExitCode());
      if (outcome == Outcome.PLANNED) {
        return code;
      }
      if (outcome == Outcome.COMMITTED) {
        classDataComplete();
      }
      summary.end(outcome, code, Instant.now(), null);
    } catch (Exception e) {
      String line = ExitCodes.batchFailure(e);
      code = failed(e, line, err);
      summary.end(Outcome.FAILED, code, Instant.now(), line);
    }
    publish(conf, summary, err);
    return code;
  }

  /**
   * Tells the launcher that this run loaded every class a batch needs, so the class-data archive it
   * writes at exit is worth keeping: the file the launcher names in {@code ingest.cds.complete}.
   */
  private static void classDataComplete() {
    String marker = System.getProperty("ingest.cds.complete");
    if (marker != null) {
      try {
        Files.write(Paths.get(marker), new byte[0]);
      } catch (IOException | RuntimeException e) {
        LOG.debug("Cannot mark the class-data archive complete", e);
      }
    }
  }

  /** Prints {@code line}, what the failure {@code e} means, and returns its exit code. */
  private static int failed(Exception e, String line, PrintStream err) {
    LOG.debug("Run failed", e);
    err.println("ingest: " + line);
    return ExitCodes.code(e);
  }

  /**
   * Hands the run's figures to who asked for them: a JSON file, a Pushgateway. Neither changes the
   * run's exit code; a failure is a warning.
   */
  private static void publish(JobConf conf, RunSummary summary, PrintStream err) {
    conf.run()
        .summaryJson()
        .ifPresent(
            file -> {
              try {
                Files.writeString(file, summary.toJson(), StandardCharsets.UTF_8);
              } catch (IOException | RuntimeException e) {
                err.println("ingest: warning: cannot write the summary to " + file + ": " + e);
              }
            });
    conf.run()
        .pushgatewayUrl()
        .ifPresent(
            url -> {
              try {
                new Pushgateway(url, conf.run().pushgatewayJob()).push(summary);
              } catch (IOException | RuntimeException e) {
                err.println("ingest: warning: cannot push the run's figures to " + url + ": " + e);
              }
            });
  }

  /**
   * A run under {@code flink run} that did not succeed; its reason is the {@code ingest:} line
   * printed before. No stack trace: Flink's client prints this one's.
   */
  public static final class JobFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    JobFailedException(int exitCode) {
      super(
          "ingest ended with exit code " + exitCode + ", see the line starting with ingest:",
          null,
          false,
          false);
    }
  }
}
