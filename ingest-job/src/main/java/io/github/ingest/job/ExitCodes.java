package io.github.ingest.job;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.job.metrics.Outcome;
import io.github.ingest.kafka.mapping.BadRecordException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * What a failure means for the scheduler: its {@link ExitCode} and the one line the job prints. The
 * one place failures become exit codes. A failure classified where it was detected (an {@link
 * IngestException}: an incompatible table, a recreated topic, lost offsets, a conflict) keeps its
 * code. Before any work ({@link #setUp}), a bad setting or refused credentials is {@link
 * ExitCode#BAD_CONFIG}, a service that cannot be reached {@link ExitCode#UNREACHABLE}; anything
 * else, there or later, is {@link ExitCode#FAILED}: the next run tries again.
 */
final class ExitCodes {

  private ExitCodes() {}

  /**
   * Runs {@code step}, a step before any work that talks to {@code service}, and classifies its
   * failure as an {@link IngestException} with its exit code.
   */
  static <T> T setUp(String service, Callable<T> step) {
    try {
      return step.call();
    } catch (Exception e) {
      throw startupFailure(service, e);
    }
  }

  /** What the failure {@code e} of a step before any work with {@code service} means. */
  static IngestException startupFailure(String service, Exception e) {
    if (e instanceof IngestException) {
      return (IngestException) e;
    }
    if (e instanceof IllegalArgumentException) {
      return new IngestException(ExitCode.BAD_CONFIG, e.getMessage(), e);
    }
    Throwable refused = cause(e, AuthenticationException.class, AuthorizationException.class);
    if (refused != null) {
      return new IngestException(
          ExitCode.BAD_CONFIG,
          service
              + " refused the job: "
              + refused.getMessage()
              + (refused instanceof SslAuthenticationException
                  ? " (see kafka.properties.security.protocol, ssl.truststore.location and"
                      + " ssl.truststore.password)"
                  : " (see kafka.properties.security.protocol, sasl.mechanism and"
                      + " sasl.jaas.config)"),
          e);
    }
    if (unreachable(e)) {
      return new IngestException(
          ExitCode.UNREACHABLE, "Cannot reach " + service + ": " + describe(e), e);
    }
    return new IngestException(ExitCode.FAILED, "Cannot set up " + service + ": " + describe(e), e);
  }

  /**
   * Whether {@code e} says a service did not answer: no connection, no such host, a timeout, a
   * database that cannot be opened or connected to, a bucket that is not there.
   */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof java.util.concurrent.TimeoutException
          || t instanceof NoSuchBucketException) {
        return true;
      }
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state != null && state.startsWith("08")) {
          return true; // SQL's class of connection exceptions
        }
      }
      if (t instanceof UncheckedSQLException
          && String.valueOf(t.getMessage()).startsWith("Failed to connect")) {
        return true; // the JDBC catalog's pool could not open a connection: any driver, any cause
      }
    }
    return false;
  }

  /**
   * The exit code of a run that ended with {@code outcome}; one with nothing new ends with {@code
   * nothingNewCode} ({@code exit-code.nothing-new}).
   */
  static int code(Outcome outcome, int nothingNewCode) {
    switch (outcome) {
      case COMMITTED:
      case PLANNED:
        return ExitCode.OK.code();
      case NOTHING_NEW:
        return nothingNewCode;
      default:
        throw new IllegalArgumentException("A failed run's code is its failure's: " + outcome);
    }
  }

  /** The exit code of a run that failed with {@code e}. */
  static int code(Throwable e) {
    IngestException known = IngestException.in(e);
    return known != null ? known.exitCode().code() : ExitCode.FAILED.code();
  }

  /** What a batch's failure means, in one line. */
  static String batchFailure(Throwable e) {
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

  /** What a failure of {@code maintain} on {@code table} means, in one line. */
  static String maintenanceFailure(Throwable e, Object table) {
    IngestException known = IngestException.in(e);
    return known != null
        ? line(known)
        : "maintenance of table "
            + table
            + " failed; what it committed stands, and the next maintain goes on from there: "
            + reason(e);
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

  /** The exception's message, and its root cause's if that says more. */
  private static String describe(Throwable error) {
    String outer = error.getMessage() == null ? error.toString() : error.getMessage();
    String root = reason(error);
    return outer.contains(root) ? outer : outer + " (" + root + ")";
  }
}
