package io.github.ingest.job;

/** A run could not start: a setting, topic or table is wrong, or a service cannot be reached. */
final class StartException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  StartException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
