package io.github.ingest.iceberg.table;

/** An existing table lacks a column the job writes, or has it with another type. */
public final class IncompatibleTableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  IncompatibleTableException(String message) {
    super(message);
  }
}
