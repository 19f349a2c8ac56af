package io.github.ingest.job;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.job.metrics.Pushgateway;
import io.github.ingest.job.metrics.RunSummary;
import io.github.ingest.kafka.mapping.BadRecordException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
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
    JobConf conf;
    try {
      conf = JobConf.parse(env, args);
    } catch (IllegalArgumentException e) {
      err.println("ingest: " + e.getMessage());
      err.println("Run with --help for the settings.");
      return EXIT_BAD_CONFIG;
    }
    if (conf.help()) {
      out.print(JobConf.helpText());
      return EXIT_OK;
    }
    conf.warnings().forEach(warning -> err.println("ingest: warning: " + warning));
    LOG.info("Settings:\n{}", conf.describe());
    if (conf.command() == JobConf.Command.MAINTAIN) {
      try {
        new Maintenance(conf, out).run();
        return EXIT_OK;
      } catch (Exception e) {
        IngestException known = IngestException.in(e);
        return failed(
            e,
            known != null
                ? line(known)
                : "maintenance of table "
                    + conf.table()
                    + " failed; what it committed stands, and the next maintain goes on from"
                    + " there: "
                    + reason(e),
            err);
      }
    }
    RunSummary summary =
        new RunSummary(conf.table().toString(), conf.topic(), conf.groupId(), started);
    RunSummary.Outcome how;
    int code;
    try {
      BatchRun.Outcome outcome = new BatchRun(conf, Clock.systemUTC(), out, summary).run();
      if (outcome == BatchRun.Outcome.PLANNED) {
        return EXIT_OK;
      }
      how =
          outcome == BatchRun.Outcome.COMMITTED
              ? RunSummary.Outcome.COMMITTED
              : RunSummary.Outcome.NOTHING_NEW;
      code = how == RunSummary.Outcome.COMMITTED ? EXIT_OK : conf.nothingNewExitCode();
      if (how == RunSummary.Outcome.COMMITTED) {
        classDataComplete();
      }
      summary.end(how, code, Instant.now(), null);
    } catch (Exception e) {
      String line = failure(e);
      code = failed(e, line, err);
      summary.end(RunSummary.Outcome.FAILED, code, Instant.now(), line);
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
    IngestException known = IngestException.in(e);
    return known != null ? known.exitCode().code() : EXIT_FAILED;
  }

  /** What a failure means, in one line. */
  private static String failure(Exception e) {
    IngestException known = IngestException.in(e);
    if (known != null) {
      return line(known);
    }
    if (cause(e, CommitStateUnknownException.class) != null) {
      return "batch failed and the catalog did not say whether its commit took effect;"
          + " the next run reads the table and goes on from what it holds: "
          + reason(e);
    }
    return "batch failed, nothing committed: " + reason(e);
  }

  /**
   * Hands the run's figures to who asked for them: a JSON file, a Pushgateway. Neither changes the
   * run's exit code; a failure is a warning.
   */
  private static void publish(JobConf conf, RunSummary summary, PrintStream err) {
    conf.summaryJson()
        .ifPresent(
            file -> {
              try {
                Files.writeString(file, summary.toJson(), StandardCharsets.UTF_8);
              } catch (IOException | RuntimeException e) {
                err.println("ingest: warning: cannot write the summary to " + file + ": " + e);
              }
            });
    conf.pushgatewayUrl()
        .ifPresent(
            url -> {
              try {
                new Pushgateway(url, conf.pushgatewayJob()).push(summary);
              } catch (IOException | RuntimeException e) {
                err.println("ingest: warning: cannot push the run's figures to " + url + ": " + e);
              }
            });
  }

  /** The line that says what a classified failure means. */
  private static String line(IngestException e) {
    switch (e.exitCode()) {
      case BAD_CONFIG:
      case UNREACHABLE:
        return "nothing started: " + e.getMessage();
      case CONFLICT:
        return e.getMessage() + ": " + reason(e);
      default:
        return e.getMessage();
    }
  }

  /** The first of {@code error} and its causes that is one of {@code types}, or null. */
  @SafeVarargs
  static Throwable cause(Throwable error, Class<? extends Throwable>... types) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(t)) {
          return t;
        }
      }
    }
    return null;
  }

  /** The message a user needs: a bad record's, or the root cause's. */
  static String reason(Throwable error) {
    Throwable root = error;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BadRecordException) {
        return t.getMessage();
      }
      root = t;
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
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
