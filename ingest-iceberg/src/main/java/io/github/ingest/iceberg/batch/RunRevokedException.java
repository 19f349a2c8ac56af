package io.github.ingest.iceberg.batch;

import org.apache.iceberg.exceptions.ValidationException;

/**
 * A commit refused because table maintenance revoked its run ({@link RunFence}): the run started
 * before the fence, so files it wrote may be gone. Iceberg does not retry it; nothing of the run is
 * committed, and the next run reads its range again.
 */
public final class RunRevokedException extends ValidationException {

  private static final long serialVersionUID = 1L;

  RunRevokedException(String message, Object... args) {
    super(message, args);
  }
}
