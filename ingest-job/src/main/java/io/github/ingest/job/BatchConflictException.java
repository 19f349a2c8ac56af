package io.github.ingest.job;

/** Another run committed the batch this run planned; this run committed nothing. */
final class BatchConflictException extends Exception {

  private static final long serialVersionUID = 1L;

  BatchConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
