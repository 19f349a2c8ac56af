package io.github.ingest.kafka.mapping;

/** A record that could not be mapped stopped the batch; the message says which and why. */
public final class BadRecordException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BadRecordException(String message) {
    super(message);
  }
}
