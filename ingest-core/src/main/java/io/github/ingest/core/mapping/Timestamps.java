package io.github.ingest.core.mapping;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Parses ISO-8601 timestamps with a mandatory offset, {@code yyyy-MM-ddTHH:mm:ss[.f](Z|±hh:mm)}
 * with 0 to 9 fraction digits, without {@code DateTimeFormatter}: this runs once per record.
 */
final class Timestamps {

  private static final int MAX_OFFSET_SECONDS = 18 * 3600;

  private Timestamps() {}

  /**
   * The instant {@code text} denotes, in microseconds since the epoch; digits below the microsecond
   * are dropped.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  static long parseEpochMicros(String text) {
    return parseEpochMicros(text, null);
  }

  /**
   * Like {@link #parseEpochMicros(String)}, but a text without offset is a local date and time in
   * {@code zone}, if not null: a time in a daylight-saving gap moves forward by the gap, a time in
   * an overlap takes the earlier offset.
   */
  static long parseEpochMicros(String text, ZoneId zone) {
    int length = text.length();
    if (length < 19) {
      throw new IllegalArgumentException("not an ISO-8601 timestamp with offset");
    }
    int year = digits(text, 0, 4);
    expect(text, 4, '-');
    int month = digits(text, 5, 2);
    expect(text, 7, '-');
    int day = digits(text, 8, 2);
    char separator = text.charAt(10);
    if (separator != 'T' && separator != 't') {
      throw new IllegalArgumentException("expected 'T' between date and time");
    }
    int hour = digits(text, 11, 2);
    expect(text, 13, ':');
    int minute = digits(text, 14, 2);
    expect(text, 16, ':');
    int second = digits(text, 17, 2);

    int pos = 19;
    long micros = 0;
    if (pos < length && text.charAt(pos) == '.') {
      int start = ++pos;
      while (pos < length && isDigit(text.charAt(pos))) {
        if (pos - start < 6) {
          micros = micros * 10 + (text.charAt(pos) - '0');
        }
        pos++;
      }
      int fractionDigits = pos - start;
      if (fractionDigits == 0 || fractionDigits > 9) {
        throw new IllegalArgumentException("fraction of a second must have 1 to 9 digits");
      }
      for (int i = fractionDigits; i < 6; i++) {
        micros *= 10;
      }
    }

    boolean local = zone != null && pos == length;
    int offsetSeconds = local ? 0 : parseOffset(text, pos);
    if (hour > 23 || minute > 59 || second > 59) {
      throw new IllegalArgumentException("invalid time of day");
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("invalid date");
    }
    if (local) {
      long epochSecond =
          ZonedDateTime.ofLocal(
                  LocalDateTime.of(
                      LocalDate.ofEpochDay(epochDay), LocalTime.of(hour, minute, second)),
                  zone,
                  null)
              .toEpochSecond();
      return epochSecond * 1_000_000L + micros;
    }
    long epochSecond = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return epochSecond * 1_000_000L + micros;
  }

  private static int parseOffset(String text, int pos) {
    int length = text.length();
    if (pos >= length) {
      throw new IllegalArgumentException("missing offset (Z or ±hh:mm)");
    }
    char sign = text.charAt(pos);
    if (sign == 'Z' || sign == 'z') {
      if (pos + 1 != length) {
        throw new IllegalArgumentException("unexpected text after the offset");
      }
      return 0;
    }
    if (sign != '+' && sign != '-') {
      throw new IllegalArgumentException("missing offset (Z or ±hh:mm)");
    }
    if (pos + 6 != length || text.charAt(pos + 3) != ':') {
      throw new IllegalArgumentException("offset must be Z or ±hh:mm");
    }
    int hours = digits(text, pos + 1, 2);
    int minutes = digits(text, pos + 4, 2);
    int seconds = hours * 3600 + minutes * 60;
    if (minutes > 59 || seconds > MAX_OFFSET_SECONDS) {
      throw new IllegalArgumentException("offset out of range ±18:00");
    }
    return sign == '-' ? -seconds : seconds;
  }

  private static int digits(String text, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        throw new IllegalArgumentException("expected a digit at position " + (i + 1));
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static void expect(String text, int pos, char expected) {
    if (text.charAt(pos) != expected) {
      throw new IllegalArgumentException("expected '" + expected + "' at position " + (pos + 1));
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
