package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.Rejections.invalid;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Exact decimals from JSON numbers or strings, never through a double: a decimal(p, s) column takes
 * a value with at most {@code s} fraction digits (trailing zeros aside) and {@code p - s} integer
 * digits, at scale {@code s}.
 */
final class Decimals {

  private static final BigInteger TEN_TO_THE_18 = BigInteger.TEN.pow(18);

  private Decimals() {}

  /** The value at the parser as a decimal of the site's precision and scale. */
  static BigDecimal decimal(JsonParser parser, JsonToken token, ValueSite site) throws IOException {
    ColumnType type = site.type;
    if (token == JsonToken.VALUE_NUMBER_INT
        || token == JsonToken.VALUE_NUMBER_FLOAT
        || token == JsonToken.VALUE_STRING) {
      BigDecimal plain =
          plainDecimal(
              parser.getTextCharacters(),
              parser.getTextOffset(),
              parser.getTextLength(),
              type.precision(),
              type.scale());
      if (plain != null) {
        return plain;
      }
    }
    BigDecimal value = number(parser, token, site);
    int maxIntegerDigits = type.precision() - type.scale();
    int scale = value.scale();
    if (scale >= 0 && scale <= type.scale() && value.precision() - scale <= maxIntegerDigits) {
      // the common case, and no trailing zeros to strip: precision and scale count them alike
      return scale == type.scale() ? value : value.setScale(type.scale());
    }
    BigDecimal stripped = value.stripTrailingZeros();
    int fractionDigits = Math.max(stripped.scale(), 0);
    if (fractionDigits > type.scale()) {
      throw invalid(site, parser, token, "more than " + type.scale() + " fraction digits");
    }
    int integerDigits = stripped.signum() == 0 ? 0 : stripped.precision() - stripped.scale();
    if (integerDigits > maxIntegerDigits) {
      throw invalid(site, parser, token, "more than " + maxIntegerDigits + " integer digits");
    }
    return stripped.setScale(type.scale());
  }

  /**
   * The value of {@code -?[0-9]+(\.[0-9]+)?} text at {@code scale}, if it fits {@code precision}
   * and {@code scale} and has at most 36 digits there; else null, and the general path decides. It
   * reads the digits into two longs instead of parsing a {@link BigDecimal} and rescaling it, which
   * costs a third of mapping a message of four decimal(29,17) fields.
   */
  static BigDecimal plainDecimal(char[] text, int offset, int length, int precision, int scale) {
    int end = offset + length;
    int at = offset;
    boolean negative = at < end && text[at] == '-';
    if (negative) {
      at++;
    }
    int integerStart = at;
    while (at < end && text[at] == '0') {
      at++;
    }
    int significantStart = at;
    while (at < end && text[at] >= '0' && text[at] <= '9') {
      at++;
    }
    int integerDigits = at - significantStart;
    if (at == integerStart || integerDigits > precision - scale) {
      return null;
    }
    int fractionStart = at;
    int fractionEnd = at;
    if (at < end) {
      if (text[at] != '.') {
        return null;
      }
      fractionStart = ++at;
      while (at < end && text[at] >= '0' && text[at] <= '9') {
        at++;
      }
      if (at < end || at == fractionStart) {
        return null;
      }
      fractionEnd = at;
      while (fractionEnd > fractionStart && text[fractionEnd - 1] == '0') {
        fractionEnd--;
      }
      if (fractionEnd - fractionStart > scale) {
        return null;
      }
    }
    int digits = integerDigits + scale;
    if (digits > 36) {
      return null;
    }
    // the unscaled value's digits: the integer's, the fraction's, then zeros up to the scale
    long high = 0;
    long low = 0;
    int highDigits = Math.max(0, digits - 18);
    for (int i = 0; i < digits; i++) {
      int digit;
      if (i < integerDigits) {
        digit = text[significantStart + i] - '0';
      } else {
        int fraction = fractionStart + i - integerDigits;
        digit = fraction < fractionEnd ? text[fraction] - '0' : 0;
      }
      if (i < highDigits) {
        high = high * 10 + digit;
      } else {
        low = low * 10 + digit;
      }
    }
    if (highDigits == 0) {
      return BigDecimal.valueOf(negative ? -low : low, scale);
    }
    BigInteger unscaled =
        BigInteger.valueOf(high).multiply(TEN_TO_THE_18).add(BigInteger.valueOf(low));
    return new BigDecimal(negative ? unscaled.negate() : unscaled, scale);
  }

  /** A JSON number, or a string holding one, as an exact decimal: never through a double. */
  static BigDecimal number(JsonParser parser, JsonToken token, ValueSite site) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDecimalValue();
    }
    if (token != JsonToken.VALUE_STRING) {
      throw invalid(site, parser, token, null);
    }
    String text = parser.getText();
    if (text.length() > ScalarParsers.MAX_NUMERIC_TEXT) {
      throw invalid(site, parser, token, "too long for a number");
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw invalid(site, parser, token, null);
    }
  }
}
