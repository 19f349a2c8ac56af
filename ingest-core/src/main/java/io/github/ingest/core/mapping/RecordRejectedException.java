package io.github.ingest.core.mapping;

/**
 * A record that cannot be mapped, with the kind of problem, the field and column concerned and a
 * message that names the offending value. Thrown without a stack trace: it describes data, not a
 * bug, and a bad topic can produce many.
 */
public final class RecordRejectedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What was wrong with a rejected record. */
  public enum Kind {
    /** The record has no value (a tombstone), and the mapping needs one. */
    NO_VALUE,
    /** The record's value has zero bytes. */
    EMPTY_VALUE,
    /** The value, or a key the mapping reads, is not well-formed JSON (or not valid UTF-8). */
    INVALID_JSON,
    /** The value, or a key the mapping reads, is JSON but not an object. */
    NOT_AN_OBJECT,
    /** A key the mapping reads appears twice in one JSON object. */
    DUPLICATE_KEY,
    /** A required field is missing or JSON {@code null}. */
    MISSING_FIELD,
    /**
     * A field's value does not convert to its column's type or does not fit it, or bytes that a
     * text column holds (a header, the key, the value) are not valid UTF-8.
     */
    INVALID_VALUE
  }

  private final Kind kind;
  private final String field;
  private final String column;

  RecordRejectedException(Kind kind, String field, String column, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.field = field;
    this.column = column;
  }

  public Kind kind() {
    return kind;
  }

  /** The source field (dotted path) concerned, or null if the whole record is. */
  public String field() {
    return field;
  }

  /** The target column concerned, or null if the whole record is. */
  public String column() {
    return column;
  }
}
