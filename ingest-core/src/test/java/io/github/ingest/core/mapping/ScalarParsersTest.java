package io.github.ingest.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Each scalar parser on its own, from one JSON token: what it takes, and what it rejects. */
class ScalarParsersTest {

  private static final JsonFactory JSON = new JsonFactory();

  @Test
  void int32TakesIntegralNumbersAndStringsInRange() throws IOException {
    ValueSite site = site(ColumnType.integer(), Column.TimestampFormat.ISO);
    assertThat(integral("12", site, Integer.MIN_VALUE, Integer.MAX_VALUE)).isEqualTo(12);
    assertThat(integral("\"-7\"", site, Integer.MIN_VALUE, Integer.MAX_VALUE)).isEqualTo(-7);
    assertThat(integral("3.00", site, Integer.MIN_VALUE, Integer.MAX_VALUE)).isEqualTo(3);
    assertThatThrownBy(() -> integral("2147483648", site, Integer.MIN_VALUE, Integer.MAX_VALUE))
        .hasMessage("Cannot convert field f to int for column c: 2147483648 (out of range)");
    assertThatThrownBy(() -> integral("1.5", site, Integer.MIN_VALUE, Integer.MAX_VALUE))
        .hasMessage("Cannot convert field f to int for column c: 1.5 (not an integer)");
  }

  @Test
  void int64TakesTheWholeRangeOfALong() throws IOException {
    ValueSite site = site(ColumnType.bigint(), Column.TimestampFormat.ISO);
    assertThat(integral("9223372036854775807", site, Long.MIN_VALUE, Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(integral("\"-9223372036854775808\"", site, Long.MIN_VALUE, Long.MAX_VALUE))
        .isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(() -> integral("9223372036854775808", site, Long.MIN_VALUE, Long.MAX_VALUE))
        .hasMessageContaining("(out of range)");
  }

  @Test
  void decimalsKeepEveryDigitAtTheColumnsScale() throws IOException {
    ValueSite site = site(ColumnType.decimal(5, 2), Column.TimestampFormat.ISO);
    assertThat(read("\"123.4\"", (p, t) -> Decimals.decimal(p, t, site)))
        .isEqualTo(new BigDecimal("123.40"));
    assertThat(read("1.5e1", (p, t) -> Decimals.decimal(p, t, site)))
        .isEqualTo(new BigDecimal("15.00"));
    assertThatThrownBy(() -> read("0.125", (p, t) -> Decimals.decimal(p, t, site)))
        .hasMessage(
            "Cannot convert field f to decimal(5,2) for column c: 0.125 (more than 2 fraction"
                + " digits)");
    assertThatThrownBy(() -> read("1234", (p, t) -> Decimals.decimal(p, t, site)))
        .hasMessageContaining("(more than 3 integer digits)");
  }

  @Test
  void booleansAreJsonBooleansOrTheirStrings() throws IOException {
    ValueSite site = site(ColumnType.bool(), Column.TimestampFormat.ISO);
    assertThat(read("true", (p, t) -> ScalarParsers.bool(p, t, site))).isEqualTo(true);
    assertThat(read("\"false\"", (p, t) -> ScalarParsers.bool(p, t, site))).isEqualTo(false);
    assertThatThrownBy(() -> read("1", (p, t) -> ScalarParsers.bool(p, t, site)))
        .hasMessage("Cannot convert field f to boolean for column c: 1");
  }

  @Test
  void doublesAreFinite() throws IOException {
    ValueSite site = site(ColumnType.float64(), Column.TimestampFormat.ISO);
    assertThat(read("0.5", (p, t) -> ScalarParsers.float64(p, t, site))).isEqualTo(0.5);
    assertThat(read("\"-2e3\"", (p, t) -> ScalarParsers.float64(p, t, site))).isEqualTo(-2000.0);
    assertThatThrownBy(() -> read("\"NaN\"", (p, t) -> ScalarParsers.float64(p, t, site)))
        .hasMessageContaining("(not a finite number)");
    assertThatThrownBy(() -> read("\"\"", (p, t) -> ScalarParsers.float64(p, t, site)))
        .hasMessage("Cannot convert field f to double for column c: \"\"");
  }

  @Test
  void datesAreIsoStrings() throws IOException {
    ValueSite site = site(ColumnType.date(), Column.TimestampFormat.ISO);
    assertThat(read("\"2026-12-04\"", (p, t) -> ScalarParsers.date(p, t, site)))
        .isEqualTo(LocalDate.of(2026, 12, 4));
    assertThatThrownBy(() -> read("\"2026-02-30\"", (p, t) -> ScalarParsers.date(p, t, site)))
        .hasMessageContaining("(not an ISO-8601 date)");
  }

  @Test
  void timestampsAreMicrosTruncatedToThePrecisionInTheirFormat() throws IOException {
    ValueSite iso = site(ColumnType.timestamp(3), Column.TimestampFormat.ISO);
    assertThat(read("\"1970-01-01T00:00:01.123456Z\"", (p, t) -> ScalarParsers.micros(p, t, iso)))
        .isEqualTo(1_123_000L);
    ValueSite millis = site(ColumnType.timestamp(6), Column.TimestampFormat.EPOCH_MILLIS);
    assertThat(read("\"1500\"", (p, t) -> ScalarParsers.micros(p, t, millis)))
        .isEqualTo(1_500_000L);
    ValueSite seconds = site(ColumnType.timestamp(6), Column.TimestampFormat.EPOCH_SECONDS);
    assertThatThrownBy(
            () -> read("9223372036854775807", (p, t) -> ScalarParsers.micros(p, t, seconds)))
        .hasMessageContaining("(out of range)");
    assertThatThrownBy(() -> read("1.5", (p, t) -> ScalarParsers.micros(p, t, seconds)))
        .hasMessageContaining("(expected an integral");
  }

  private interface Parse {
    Object apply(JsonParser parser, JsonToken token) throws IOException;
  }

  private static Object read(String json, Parse parse) throws IOException {
    try (JsonParser parser = JSON.createParser(json)) {
      return parse.apply(parser, parser.nextToken());
    }
  }

  private static long integral(String json, ValueSite site, long min, long max) throws IOException {
    return (long) read(json, (p, t) -> ScalarParsers.integral(p, t, site, min, max));
  }

  private static ValueSite site(ColumnType type, Column.TimestampFormat format) {
    return new ValueSite(0, "f", type, "c", format, ZoneId.of("UTC"));
  }
}
