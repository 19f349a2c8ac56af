package io.github.ingest.job;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import java.util.concurrent.Callable;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/** Runs the steps before any work, and says what their failures mean for the scheduler. */
final class Startup {

  private Startup() {}

  /**
   * Runs {@code step}, which talks to {@code service}. A failure classified where it was detected
   * (an incompatible table, a recreated topic, lost offsets) keeps its exit code; a bad setting, an
   * unknown topic or refused credentials is {@link ExitCode#BAD_CONFIG}; anything else means {@code
   * service} could not be reached, {@link ExitCode#UNREACHABLE}.
   */
  static <T> T setUp(String service, Callable<T> step) {
    try {
      return step.call();
    } catch (IngestException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IngestException(ExitCode.BAD_CONFIG, e.getMessage(), e);
    } catch (Exception e) {
      Throwable refused =
          IngestJob.cause(e, AuthenticationException.class, AuthorizationException.class);
      if (refused != null) {
        throw new IngestException(
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
      throw new IngestException(
          ExitCode.UNREACHABLE, "Cannot reach " + service + ": " + describe(e), e);
    }
  }

  /** The exception's message, and its root cause's if that says more. */
  private static String describe(Throwable error) {
    String outer = error.getMessage() == null ? error.toString() : error.getMessage();
    String root = IngestJob.reason(error);
    return outer.contains(root) ? outer : outer + " (" + root + ")";
  }
}
