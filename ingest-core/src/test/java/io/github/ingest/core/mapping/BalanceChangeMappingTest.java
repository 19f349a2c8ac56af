package io.github.ingest.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BalanceChangeMappingTest {

  private static final BatchMetadata BATCH =
      BatchMetadata.builder()
          .number(7)
          .start(Instant.parse("2023-01-30T23:59:59.123456789Z"))
          .sourceEndpoint("broker-1:9092,broker-2:9092")
          .clientId("ingest-client")
          .sourceName("balance_changes")
          .build();

  private static final RecordMapper MAPPER = MappingFixtures.balanceChanges().mapper(BATCH);
  private static final List<String> COLUMNS =
      MappingFixtures.balanceChanges().columns().stream()
          .map(Column::name)
          .collect(Collectors.toList());

  private static final String MESSAGE =
      "{\"playerId\":\"10896152\",\"currency\":\"EUR\",\"portalId\":\"2013\","
          + "\"realBalance\":27.1,\"bonusBalance\":0.04,"
          + "\"timestamp\":\"2023-01-30T23:59:59+00:00\",\"id\":\"63d859ff7d661-10896152\","
          + "\"realBalanceEUR\":27.1,\"bonusBalanceEUR\":0.04}";

  @Test
  void mapsTheSeedExampleToEveryColumn() {
    Object[] row = map(MESSAGE);
    assertThat(value(row, "flink_log_file_name")).isEqualTo("2023-01-30_23-59-59.log");
    assertThat(value(row, "flink_log_batch_timestamp")).isEqualTo("2023-01-30T23:59:59.123456");
    assertThat(value(row, "flink_log_batch_number")).isEqualTo("7");
    assertThat(value(row, "flink_log_source_endpoint")).isEqualTo("broker-1:9092,broker-2:9092");
    assertThat(value(row, "flink_log_source_client_id")).isEqualTo("ingest-client");
    assertThat(value(row, "flink_log_source_name")).isEqualTo("balance_changes");
    assertThat(value(row, "flink_log_event_timestamp")).isEqualTo("2023-01-30T23:59:59+00:00");
    assertThat(value(row, "bln_chg_key")).isEqualTo("63d859ff7d661-10896152");
    assertThat(value(row, "bln_chg_player_id")).isEqualTo(10896152);
    assertThat(value(row, "bln_chg_portal_id")).isEqualTo(2013);
    assertThat(value(row, "bln_chg_currency")).isEqualTo("EUR");
    assertThat(value(row, "bln_chg_real_balance"))
        .isEqualTo(new BigDecimal("27.10000000000000000"));
    assertThat(value(row, "bln_chg_bonus_balance"))
        .isEqualTo(new BigDecimal("0.04000000000000000"));
    assertThat(value(row, "bln_chg_real_balance_eur"))
        .isEqualTo(new BigDecimal("27.10000000000000000"));
    assertThat(value(row, "bln_chg_bonus_balance_eur"))
        .isEqualTo(new BigDecimal("0.04000000000000000"));
    assertThat(value(row, "bln_chg_timestamp"))
        .isEqualTo(LocalDateTime.of(2023, 1, 30, 23, 59, 59));
  }

  @ParameterizedTest
  @CsvSource({
    "2023-01-30T23:59:59Z, 2023-01-30T23:59:59",
    "2023-01-30T23:59:59z, 2023-01-30T23:59:59",
    "2023-01-30T23:59:59+01:00, 2023-01-30T22:59:59",
    "2023-01-30T23:59:59-05:30, 2023-01-31T05:29:59",
    "2023-01-30T23:59:59.1Z, 2023-01-30T23:59:59.100",
    "2023-01-30T23:59:59.12Z, 2023-01-30T23:59:59.120",
    "2023-01-30T23:59:59.123Z, 2023-01-30T23:59:59.123",
    "2023-01-30T23:59:59.1239Z, 2023-01-30T23:59:59.123",
    "2023-01-30T23:59:59.123999Z, 2023-01-30T23:59:59.123",
    "2023-01-30T23:59:59.123456789Z, 2023-01-30T23:59:59.123",
    "2023-01-01T00:30:00.999+01:00, 2022-12-31T23:30:00.999",
    "1969-12-31T23:59:59.9999Z, 1969-12-31T23:59:59.999",
    "2024-02-29T12:00:00+14:00, 2024-02-28T22:00:00",
    // spring forward in Europe: 02:30 local does not exist, but with an explicit offset it is exact
    "2023-03-26T02:30:00+01:00, 2023-03-26T01:30:00",
    "2023-03-26T03:30:00+02:00, 2023-03-26T01:30:00",
    // fall back: 02:30 happens twice, told apart by the offset
    "2023-10-29T02:30:00+02:00, 2023-10-29T00:30:00",
    "2023-10-29T02:30:00+01:00, 2023-10-29T01:30:00",
    "2023-03-12T02:30:00-05:00, 2023-03-12T07:30:00"
  })
  void convertsTimestampsWithAnOffsetToUtcMilliseconds(String timestamp, String utc) {
    Object[] row = map(MESSAGE.replace("2023-01-30T23:59:59+00:00", timestamp));
    assertThat(value(row, "bln_chg_timestamp")).isEqualTo(LocalDateTime.parse(utc));
    assertThat(value(row, "flink_log_event_timestamp")).isEqualTo(timestamp);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2023-01-30T23:59:59|missing offset (Z or ±hh:mm)",
        "2023-01-30 23:59:59Z|expected 'T' between date and time",
        "2023-02-29T10:00:00Z|invalid date",
        "2023-13-01T10:00:00Z|invalid date",
        "2023-01-30T24:00:00Z|invalid time of day",
        "2023-01-30T23:60:00Z|invalid time of day",
        "2023-01-30T23:59:60Z|invalid time of day",
        "2023-01-30T23:59:59.Z|fraction of a second must have 1 to 9 digits",
        "2023-01-30T23:59:59.1234567890Z|fraction of a second must have 1 to 9 digits",
        "2023-01-30T23:59:59+0100|offset must be Z or ±hh:mm",
        "2023-01-30T23:59:59+19:00|offset out of range ±18:00",
        "2023-01-30T23:59:59Z[UTC]|unexpected text after the offset",
        "30/01/2023 23:59:59|expected a digit at position 3",
        "1675123199|not an ISO-8601 timestamp with offset"
      })
  void rejectsTimestampsThatAreNotExactInstants(String timestamp, String reason) {
    RecordRejectedException e = reject(MESSAGE.replace("2023-01-30T23:59:59+00:00", timestamp));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_VALUE);
    assertThat(e.field()).isEqualTo("timestamp");
    assertThat(e.column()).isEqualTo("bln_chg_timestamp");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot convert field timestamp to timestamp(3) for column bln_chg_timestamp: \""
                + timestamp
                + "\" ("
                + reason
                + ")");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "27.1|27.10000000000000000",
        "\"27.1\"|27.10000000000000000",
        "2.71E+1|27.10000000000000000",
        "\"2.71e1\"|27.10000000000000000",
        "271E-1|27.10000000000000000",
        "-0.00000000000000001|-0.00000000000000001",
        "123456789012.12345678901234567|123456789012.12345678901234567",
        "-999999999999.99999999999999999|-999999999999.99999999999999999",
        "1.000000000000000000000000|1.00000000000000000",
        "0E-40|0E-17",
        "42|42.00000000000000000"
      })
  void readsDecimalsExactlyFromNumbersAndStrings(String json, String expected) {
    Object[] row = map(MESSAGE.replace("\"realBalance\":27.1", "\"realBalance\":" + json));
    assertThat(value(row, "bln_chg_real_balance")).isEqualTo(new BigDecimal(expected));
  }

  @Test
  void readsPlainDecimalsAsBigDecimalDoes() {
    Random random = new Random(42);
    int read = 0;
    for (int i = 0; i < 200_000; i++) {
      int precision = 1 + random.nextInt(38);
      int scale = random.nextInt(precision + 1);
      String text = plainNumber(random, precision + 2, scale + 3);
      BigDecimal value = new BigDecimal(text).stripTrailingZeros();
      int integerDigits = value.signum() == 0 ? 0 : Math.max(0, value.precision() - value.scale());
      boolean fits = Math.max(0, value.scale()) <= scale && integerDigits <= precision - scale;
      BigDecimal plain =
          Decimals.plainDecimal(text.toCharArray(), 0, text.length(), precision, scale);
      if (fits && integerDigits + scale <= 36) {
        assertThat(plain).as(text).isEqualTo(value.setScale(scale));
        read++;
      } else {
        assertThat(plain).as(text + " at decimal(%d,%d)", precision, scale).isNull();
      }
    }
    assertThat(read).isGreaterThan(50_000);
    for (String notPlain :
        new String[] {"", "-", "+1", "1.", ".5", "1e5", "1.5E-3", "1,5", "--1"}) {
      assertThat(Decimals.plainDecimal(notPlain.toCharArray(), 0, notPlain.length(), 29, 17))
          .as(notPlain)
          .isNull();
    }
    char[] within = "x-12.50y".toCharArray();
    assertThat(Decimals.plainDecimal(within, 1, 6, 4, 2)).isEqualTo(new BigDecimal("-12.50"));
  }

  /** {@code -?[0-9]+(\.[0-9]+)?} with leading and trailing zeros now and then. */
  private static String plainNumber(Random random, int maxIntegerDigits, int maxFractionDigits) {
    StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
    text.append("0".repeat(random.nextInt(4) == 0 ? random.nextInt(3) : 0));
    int integerDigits = 1 + random.nextInt(maxIntegerDigits);
    for (int i = 0; i < integerDigits; i++) {
      text.append((char) ('0' + random.nextInt(10)));
    }
    if (random.nextBoolean()) {
      text.append('.');
      int fractionDigits = 1 + random.nextInt(maxFractionDigits);
      for (int i = 0; i < fractionDigits; i++) {
        text.append((char) ('0' + random.nextInt(10)));
      }
      text.append("0".repeat(random.nextInt(4) == 0 ? random.nextInt(5) : 0));
    }
    return text.toString();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1234567890123|1234567890123|more than 12 integer digits",
        "1234567890123.5|1234567890123.5|more than 12 integer digits",
        "0.123456789012345678|0.123456789012345678|more than 17 fraction digits",
        "1E-18|1E-18|more than 17 fraction digits",
        "1E+12|1E+12|more than 12 integer digits",
        "1e999999999|1e999999999|more than 12 integer digits",
        "1e-999999999|1e-999999999|more than 17 fraction digits",
        "\"12a\"|\"12a\"|",
        "\"\"|\"\"|",
        "\"NaN\"|\"NaN\"|",
        "true|true|",
        "[1]|an array|",
        "{}|an object|"
      })
  void rejectsDecimalsThatDoNotFitExactly(String json, String shown, String detail) {
    RecordRejectedException e =
        reject(MESSAGE.replace("\"realBalance\":27.1", "\"realBalance\":" + json));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_VALUE);
    assertThat(e.field()).isEqualTo("realBalance");
    assertThat(e.column()).isEqualTo("bln_chg_real_balance");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot convert field realBalance to decimal(29,17) for column bln_chg_real_balance: "
                + shown
                + (detail == null ? "" : " (" + detail + ")"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "42|42",
        "\"42\"|42",
        "-2147483648|-2147483648",
        "2147483647|2147483647",
        "\"2147483647\"|2147483647",
        "\"-2147483648\"|-2147483648",
        "\"0042\"|42",
        "\"+42\"|42",
        "\"-0\"|0",
        "\"4.2E1\"|42",
        "42.0|42",
        "4.2E1|42"
      })
  void readsIntegersFromNumbersAndStrings(String json, int expected) {
    Object[] row = map(MESSAGE.replace("\"playerId\":\"10896152\"", "\"playerId\":" + json));
    assertThat(value(row, "bln_chg_player_id")).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2147483648|2147483648|out of range",
        "-2147483649|-2147483649|out of range",
        "\"2147483648\"|\"2147483648\"|out of range",
        "\"-2147483649\"|\"-2147483649\"|out of range",
        "\"-\"|\"-\"|",
        "99999999999999999999999|99999999999999999999999|out of range",
        "42.5|42.5|not an integer",
        "\"42.5\"|\"42.5\"|not an integer",
        "\"12a\"|\"12a\"|",
        "\" 42\"|\" 42\"|",
        "false|false|"
      })
  void rejectsIntegersThatDoNotFit(String json, String shown, String detail) {
    RecordRejectedException e =
        reject(MESSAGE.replace("\"playerId\":\"10896152\"", "\"playerId\":" + json));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_VALUE);
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot convert field playerId to int for column bln_chg_player_id: "
                + shown
                + (detail == null ? "" : " (" + detail + ")"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"id", "playerId", "timestamp"})
  void rejectsMessagesWithoutARequiredField(String field) {
    String missing = MESSAGE.replaceFirst(",?\"" + field + "\":\"[^\"]*\",?", ",");
    missing = missing.replace("{,", "{").replace(",}", "}");
    RecordRejectedException e = reject(missing);
    assertThat(e.kind()).isEqualTo(Kind.MISSING_FIELD);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).startsWith("Missing required field " + field + " for column ");
    RecordRejectedException nulled =
        reject(MESSAGE.replaceFirst("\"" + field + "\":\"[^\"]*\"", "\"" + field + "\":null"));
    assertThat(nulled.kind()).isEqualTo(Kind.MISSING_FIELD);
  }

  @Test
  void givesNullForOptionalFieldsThatAreMissingOrNull() {
    Object[] row =
        map(
            "{\"playerId\":1,\"timestamp\":\"2023-01-30T23:59:59Z\",\"id\":\"k\","
                + "\"currency\":null,\"realBalance\":null,\"ignored\":[{\"deep\":{\"x\":1}}]}");
    for (String column :
        List.of(
            "bln_chg_portal_id",
            "bln_chg_currency",
            "bln_chg_real_balance",
            "bln_chg_bonus_balance",
            "bln_chg_real_balance_eur",
            "bln_chg_bonus_balance_eur")) {
      assertThat(value(row, column)).as(column).isNull();
    }
  }

  @Test
  void rejectsWhatIsNotOneJsonObject() {
    assertThat(reject("not json").kind()).isEqualTo(Kind.INVALID_JSON);
    assertThat(reject("not json").getMessage())
        .startsWith("Cannot parse the value as JSON: Unrecognized token");
    assertThat(reject("[1,2]").getMessage())
        .isEqualTo("Cannot map the value: it is an array, not a JSON object");
    assertThat(reject("[1,2]").kind()).isEqualTo(Kind.NOT_AN_OBJECT);
    assertThat(reject("\"text\"").kind()).isEqualTo(Kind.NOT_AN_OBJECT);
    assertThat(reject(MESSAGE + "{}").getMessage())
        .isEqualTo(
            "Cannot parse the value as JSON: more follows its object, at byte " + MESSAGE.length());
    assertThat(reject(MESSAGE.substring(0, 40)).kind()).isEqualTo(Kind.INVALID_JSON);
    RecordRejectedException twice =
        reject(MESSAGE.replace("{\"playerId\"", "{\"id\":\"x\",\"playerId\""));
    assertThat(twice.kind()).isEqualTo(Kind.DUPLICATE_KEY);
    assertThat(twice.field()).isEqualTo("id");
    assertThat(twice.column()).isEqualTo("bln_chg_key");
    assertThat(twice.getMessage())
        .isEqualTo(
            "Cannot map field id for column bln_chg_key: its key appears twice in one JSON"
                + " object, so its value is ambiguous");
  }

  @Test
  void rejectsRecordsWithoutAValueAndEmptyValuesApart() {
    RecordRejectedException tombstone = catchRejection(() -> MAPPER.map(TestRecords.of(null)));
    assertThat(tombstone.kind()).isEqualTo(Kind.NO_VALUE);
    assertThat(tombstone.getMessage())
        .isEqualTo("Cannot map a record without a value (a tombstone) to a row");
    RecordRejectedException empty = catchRejection(() -> MAPPER.map(TestRecords.of(new byte[0])));
    assertThat(empty.kind()).isEqualTo(Kind.EMPTY_VALUE);
    assertThat(empty.getMessage())
        .isEqualTo("Cannot map the value: it is empty (zero bytes), not a JSON object");
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] bytes = MESSAGE.replace("EUR", "E?R").getBytes(StandardCharsets.UTF_8);
    int at = MESSAGE.indexOf("EUR") + 1;
    bytes[at] = (byte) 0xC3;
    bytes[at + 1] = (byte) 0x28;
    RecordRejectedException e = catchRejection(() -> MAPPER.map(TestRecords.of(bytes)));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_JSON);
    assertThat(e.getMessage()).contains("Invalid UTF-8");
  }

  @Test
  void cutsLongValuesInMessages() {
    String longValue = "x".repeat(500);
    RecordRejectedException e =
        reject(MESSAGE.replace("\"playerId\":\"10896152\"", "\"playerId\":\"" + longValue + "\""));
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot convert field playerId to int for column bln_chg_player_id: \""
                + "x".repeat(100)
                + "\"... (500 characters) (too long for a number)");
  }

  private static Object[] map(String json) {
    return MAPPER.map(TestRecords.of(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static RecordRejectedException reject(String json) {
    return catchRejection(() -> map(json));
  }

  private static RecordRejectedException catchRejection(Runnable mapping) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(mapping::run);
    assertThat(thrown).isInstanceOf(RecordRejectedException.class);
    return (RecordRejectedException) thrown;
  }

  private static Object value(Object[] row, String column) {
    return row[COLUMNS.indexOf(column)];
  }
}
