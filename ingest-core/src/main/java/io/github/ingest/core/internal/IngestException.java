package io.github.ingest.core.internal;

/**
 * A failure that knows what it means for the scheduler: its {@link ExitCode} is set where the
 * failure is detected, and its message is the one line a user sees.
 */
public class IngestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public IngestException(ExitCode exitCode, String message) {
    this(exitCode, message, null);
  }

  public IngestException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }

  /** The first {@link IngestException} in {@code error}'s cause chain, or null. */
  public static IngestException in(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IngestException) {
        return (IngestException) t;
      }
    }
    return null;
  }
}
