package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.Rejections.invalid;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The scalar values of the mapping, one parser per type, each from the JSON token at a parser: a
 * JSON number or boolean, or a string that holds one. Each rejects what does not fit its type
 * exactly, naming the place ({@link ValueSite}); none goes through a double where the type is
 * exact. Decimals are {@link Decimals}.
 */
final class ScalarParsers {

  /** Numeric text longer than this fits no supported type; refusing it bounds parsing work. */
  static final int MAX_NUMERIC_TEXT = 100;

  /** Microseconds in one unit of a timestamp's precision, indexed by precision. */
  static final long[] UNITS = {1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L};

  private ScalarParsers() {}

  /**
   * An integer in {@code [min, max]}: a JSON integer, or a number or string of an integral value.
   */
  static long integral(JsonParser parser, JsonToken token, ValueSite site, long min, long max)
      throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType numberType = parser.getNumberType();
      if (numberType == JsonParser.NumberType.INT
          || numberType == JsonParser.NumberType.LONG && max == Long.MAX_VALUE) {
        return parser.getLongValue();
      }
      throw invalid(site, parser.getText(), "out of range");
    }
    if (token == JsonToken.VALUE_STRING && parser.getTextLength() <= 18) {
      String text = parser.getText();
      if (isInteger(text)) {
        long value = Long.parseLong(text);
        if (value >= min && value <= max) {
          return value;
        }
      }
    }
    BigDecimal value = Decimals.number(parser, token, site).stripTrailingZeros();
    if (value.scale() > 0) {
      throw invalid(site, parser, token, "not an integer");
    }
    if (value.precision() - value.scale() > 19) {
      throw invalid(site, parser, token, "out of range");
    }
    try {
      long result = value.longValueExact();
      if (result >= min && result <= max) {
        return result;
      }
    } catch (ArithmeticException e) {
      // out of range below
    }
    throw invalid(site, parser, token, "out of range");
  }

  /** {@code true} or {@code false}, as a JSON boolean or a string. */
  static Boolean bool(JsonParser parser, JsonToken token, ValueSite site) throws IOException {
    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
      return token == JsonToken.VALUE_TRUE;
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = parser.getText();
      if ("true".equals(text) || "false".equals(text)) {
        return Boolean.valueOf(text);
      }
    }
    throw invalid(site, parser, token, null);
  }

  /** A finite double, from a JSON number or a string. */
  static Double float64(JsonParser parser, JsonToken token, ValueSite site) throws IOException {
    double value;
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      value = parser.getDoubleValue();
    } else if (token == JsonToken.VALUE_STRING
        && parser.getTextLength() <= MAX_NUMERIC_TEXT
        && !parser.getText().isEmpty()) {
      try {
        value = Double.parseDouble(parser.getText());
      } catch (NumberFormatException e) {
        throw invalid(site, parser, token, null);
      }
    } else {
      throw invalid(site, parser, token, null);
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw invalid(site, parser, token, "not a finite number");
    }
    return value;
  }

  /** An ISO-8601 date string. */
  static LocalDate date(JsonParser parser, JsonToken token, ValueSite site) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      try {
        return LocalDate.parse(parser.getText());
      } catch (DateTimeException e) {
        throw invalid(site, parser, token, "not an ISO-8601 date");
      }
    }
    throw invalid(site, parser, token, null);
  }

  /**
   * Microseconds since the epoch, in the site's format (ISO-8601 text, or an integral count of
   * epoch seconds or milliseconds), truncated to the column type's precision.
   */
  static long micros(JsonParser parser, JsonToken token, ValueSite site) throws IOException {
    Column.TimestampFormat format = site.format;
    long epochMicros;
    if (format != Column.TimestampFormat.ISO) {
      long count = epochCount(parser, token, site);
      long perUnit = format == Column.TimestampFormat.EPOCH_MILLIS ? 1_000L : 1_000_000L;
      try {
        epochMicros = Math.multiplyExact(count, perUnit);
      } catch (ArithmeticException e) {
        throw invalid(site, parser, token, "out of range");
      }
    } else {
      if (token != JsonToken.VALUE_STRING) {
        throw invalid(site, parser, token, null);
      }
      try {
        epochMicros = Timestamps.parseEpochMicros(parser.getText(), site.zone);
      } catch (IllegalArgumentException | DateTimeException e) {
        throw invalid(site, parser, token, e.getMessage());
      }
    }
    long unit = UNITS[site.type.precision()];
    return Math.floorDiv(epochMicros, unit) * unit;
  }

  /** An integral count of epoch units: a JSON integer or an integral string. */
  private static long epochCount(JsonParser parser, JsonToken token, ValueSite site)
      throws IOException {
    try {
      if (token == JsonToken.VALUE_NUMBER_INT) {
        return parser.getLongValue();
      }
      if (token == JsonToken.VALUE_STRING) {
        String text = parser.getText();
        if (isInteger(text)) {
          return Long.parseLong(text);
        }
      }
    } catch (InputCoercionException | NumberFormatException e) {
      throw invalid(site, parser, token, "out of range");
    }
    throw invalid(site, parser, token, "expected an integral " + site.format.id());
  }

  /** {@code -?[0-9]{1,19}}, without a regular expression on the per-record path. */
  static boolean isInteger(String text) {
    int first = text.startsWith("-") ? 1 : 0;
    int digits = text.length() - first;
    if (digits < 1 || digits > 19) {
      return false;
    }
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
