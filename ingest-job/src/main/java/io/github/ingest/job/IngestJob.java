package io.github.ingest.job;

import io.github.ingest.job.config.JobConf;
import io.github.ingest.kafka.mapping.BadRecordException;
import java.io.PrintStream;
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
  public static final int EXIT_OK = 0;

  /** The batch failed; nothing was committed. */
  public static final int EXIT_FAILED = 1;

  /** A setting, the topic or the table is wrong; nothing was started. */
  public static final int EXIT_BAD_CONFIG = 2;

  /** Kafka, the catalog or the storage could not be reached; nothing was started. */
  public static final int EXIT_UNREACHABLE = 3;

  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

  private IngestJob() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    JobConf conf;
    try {
      conf = JobConf.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("ingest: " + e.getMessage());
      err.println("Run with --help for the settings.");
      return EXIT_BAD_CONFIG;
    }
    if (conf.help()) {
      out.print(JobConf.helpText());
      return EXIT_OK;
    }
    LOG.info("Settings:\n{}", conf.describe());
    try {
      BatchRun.of(conf, out).run();
      return EXIT_OK;
    } catch (StartException e) {
      LOG.debug("Cannot start", e);
      err.println("ingest: nothing started: " + e.getMessage());
      return e.exitCode();
    } catch (Exception e) {
      LOG.debug("Batch failed", e);
      if (hasCause(e, CommitStateUnknownException.class)) {
        err.println(
            "ingest: batch failed and the catalog did not say whether its commit took effect;"
                + " the next run reads the table and goes on from what it holds: "
                + reason(e));
      } else {
        err.println("ingest: batch failed, nothing committed: " + reason(e));
      }
      return EXIT_FAILED;
    }
  }

  private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
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
}
