package io.github.ingest.kafka.source;

import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Where a source with no batch and no committed group offsets starts: the earliest offset, the end,
 * or the first offset at or after a timestamp.
 *
 * <pre>{@code
 * StartingPosition.parse("earliest");
 * StartingPosition.parse("timestamp:2026-11-01T00:00:00Z");
 * }</pre>
 */
public final class StartingPosition implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The kinds of position. */
  public enum Kind {
    EARLIEST,
    LATEST,
    TIMESTAMP
  }

  public static final StartingPosition EARLIEST = new StartingPosition(Kind.EARLIEST, 0);
  public static final StartingPosition LATEST = new StartingPosition(Kind.LATEST, 0);

  private final Kind kind;
  private final long timestampMillis;

  private StartingPosition(Kind kind, long timestampMillis) {
    this.kind = kind;
    this.timestampMillis = timestampMillis;
  }

  /** The first offset whose record timestamp is at or after {@code timestamp}. */
  public static StartingPosition timestamp(Instant timestamp) {
    return new StartingPosition(Kind.TIMESTAMP, timestamp.toEpochMilli());
  }

  /**
   * {@code earliest}, {@code latest}, or {@code timestamp:} followed by an ISO-8601 instant ({@code
   * 2026-11-01T00:00:00Z}) or epoch milliseconds.
   *
   * @throws IllegalArgumentException naming the text if it is none of these
   */
  public static StartingPosition parse(String text) {
    String value = text == null ? "" : text.trim();
    if (value.equalsIgnoreCase("earliest")) {
      return EARLIEST;
    }
    if (value.equalsIgnoreCase("latest")) {
      return LATEST;
    }
    String prefix = "timestamp:";
    if (value.regionMatches(true, 0, prefix, 0, prefix.length())) {
      String instant = value.substring(prefix.length()).trim();
      try {
        return instant.chars().allMatch(Character::isDigit) && !instant.isEmpty()
            ? new StartingPosition(Kind.TIMESTAMP, Long.parseLong(instant))
            : timestamp(Instant.parse(instant));
      } catch (DateTimeParseException | NumberFormatException e) {
        throw new IllegalArgumentException(
            "Invalid starting position '"
                + text
                + "': the timestamp is not an ISO-8601 instant"
                + " (2026-11-01T00:00:00Z) nor epoch milliseconds",
            e);
      }
    }
    throw new IllegalArgumentException(
        "Invalid starting position '"
            + text
            + "': expected earliest, latest or timestamp:<ISO-8601 instant or epoch millis>");
  }

  public Kind kind() {
    return kind;
  }

  /** The timestamp of a {@link Kind#TIMESTAMP} position, in epoch milliseconds. */
  public long timestampMillis() {
    return timestampMillis;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof StartingPosition)) {
      return false;
    }
    StartingPosition that = (StartingPosition) other;
    return kind == that.kind && timestampMillis == that.timestampMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, timestampMillis);
  }

  @Override
  public String toString() {
    return kind == Kind.TIMESTAMP
        ? "timestamp:" + Instant.ofEpochMilli(timestampMillis)
        : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
