package io.github.ingest.kafka.source;

/**
 * A batch would start below a partition's log start offset: retention deleted records that no batch
 * has read. Planning stops rather than skip them silently.
 */
public final class LostOffsetsException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  LostOffsetsException(String message) {
    super(message);
  }
}
