package io.github.ingest.iceberg.table;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;

/**
 * An existing table lacks a column the job writes, or has it with another type: a person must
 * change the table or the mapping, so it is {@link ExitCode#BAD_CONFIG}.
 */
public final class IncompatibleTableException extends IngestException {

  private static final long serialVersionUID = 1L;

  IncompatibleTableException(String message) {
    super(ExitCode.BAD_CONFIG, message);
  }
}
