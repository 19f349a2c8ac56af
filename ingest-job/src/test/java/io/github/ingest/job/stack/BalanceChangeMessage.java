package io.github.ingest.job.stack;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A balance-change message built from plain values, in one of several JSON spellings real producers
 * use, with the column values the table must hold for it derived independently of the job's mapping
 * code.
 */
public final class BalanceChangeMessage {

  private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "SEK", null};
  private static final String[] OFFSETS = {"Z", "+00:00", "+01:00", "-05:00", "+05:30", "-03:30"};

  public final String id;
  public final int playerId;
  public final Integer portalId;
  public final String currency;
  public final BigDecimal realBalance;
  public final BigDecimal bonusBalance;
  public final BigDecimal realBalanceEur;
  public final BigDecimal bonusBalanceEur;
  public final String timestamp;
  private final int spelling;

  private BalanceChangeMessage(Random random, int index) {
    this.spelling = index % 4;
    this.id = String.format(Locale.ROOT, "%013x-%d", random.nextLong() >>> 12, 10_000_000 + index);
    this.playerId = 10_000_000 + random.nextInt(1_000_000);
    this.portalId = index % 7 == 3 ? null : 1000 + random.nextInt(2000);
    this.currency = CURRENCIES[index % CURRENCIES.length];
    this.realBalance = amount(random, 17);
    this.bonusBalance = index % 5 == 0 ? null : amount(random, 2);
    this.realBalanceEur = amount(random, 17);
    this.bonusBalanceEur = index % 6 == 0 ? null : amount(random, 9);
    String fraction = fraction(random, index % 10);
    this.timestamp =
        String.format(
            Locale.ROOT,
            "2023-%02d-%02dT%02d:%02d:%02d%s%s",
            1 + index % 12,
            1 + random.nextInt(28),
            random.nextInt(24),
            random.nextInt(60),
            random.nextInt(60),
            fraction,
            OFFSETS[index % OFFSETS.length]);
  }

  private BalanceChangeMessage(BalanceChangeMessage m, BigDecimal realBalance, String timestamp) {
    this.spelling = m.spelling;
    this.id = m.id;
    this.playerId = m.playerId;
    this.portalId = m.portalId;
    this.currency = m.currency;
    this.realBalance = realBalance;
    this.bonusBalance = m.bonusBalance;
    this.realBalanceEur = m.realBalanceEur;
    this.bonusBalanceEur = m.bonusBalanceEur;
    this.timestamp = timestamp;
  }

  /** This event with another {@code realBalance}: the same key, another amount. */
  public BalanceChangeMessage withRealBalance(BigDecimal newRealBalance) {
    return new BalanceChangeMessage(this, newRealBalance, timestamp);
  }

  /** This event at another time, e.g. {@code 2023-03-01T10:00:00Z}. */
  public BalanceChangeMessage withTimestamp(String newTimestamp) {
    return new BalanceChangeMessage(this, realBalance, newTimestamp);
  }

  /** {@code count} messages, the same for the same seed. */
  public static List<BalanceChangeMessage> sample(long seed, int count) {
    Random random = new Random(seed);
    List<BalanceChangeMessage> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(new BalanceChangeMessage(random, i));
    }
    return messages;
  }

  /** The message as JSON: numbers as JSON numbers, numeric strings or in exponent notation. */
  public byte[] json() {
    StringBuilder json = new StringBuilder("{");
    json.append("\"playerId\":")
        .append(spelling % 2 == 0 ? quote(Integer.toString(playerId)) : playerId);
    if (currency != null) {
      json.append(",\"currency\":").append(quote(currency));
    }
    if (portalId != null || spelling == 1) {
      json.append(",\"portalId\":")
          .append(portalId == null ? "null" : quote(Integer.toString(portalId)));
    }
    json.append(",\"realBalance\":").append(number(realBalance));
    json.append(",\"bonusBalance\":").append(bonusBalance == null ? "null" : number(bonusBalance));
    json.append(",\"timestamp\":").append(quote(timestamp));
    json.append(",\"id\":").append(quote(id));
    json.append(",\"realBalanceEUR\":").append(number(realBalanceEur));
    if (bonusBalanceEur != null) {
      json.append(",\"bonusBalanceEUR\":").append(number(bonusBalanceEur));
    }
    json.append(",\"unknownField\":{\"nested\":[1,2,3]}}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code bln_chg_timestamp}: the instant in UTC, milliseconds kept. */
  public LocalDateTime utcTimestamp() {
    return OffsetDateTime.parse(timestamp)
        .withOffsetSameInstant(ZoneOffset.UTC)
        .toLocalDateTime()
        .truncatedTo(ChronoUnit.MILLIS);
  }

  /** A decimal column's value: the amount at scale 17. */
  public static BigDecimal column(BigDecimal amount) {
    return amount == null ? null : amount.setScale(17);
  }

  private String number(BigDecimal value) {
    switch (spelling) {
      case 0:
        return value.toPlainString();
      case 1:
        return quote(value.toPlainString());
      case 2:
        return value.scale() > 0 ? value.unscaledValue() + "E-" + value.scale() : value.toString();
      default:
        return value.toPlainString();
    }
  }

  private static BigDecimal amount(Random random, int scale) {
    long integer = random.nextInt(1_000_000_000) * (random.nextBoolean() ? 1L : -1L);
    StringBuilder digits = new StringBuilder(Long.toString(integer));
    if (scale > 0) {
      digits.append('.');
      for (int i = 0; i < scale; i++) {
        digits.append((char) ('0' + random.nextInt(10)));
      }
    }
    return new BigDecimal(digits.toString());
  }

  private static String fraction(Random random, int digits) {
    if (digits == 0) {
      return "";
    }
    StringBuilder fraction = new StringBuilder(".");
    for (int i = 0; i < digits; i++) {
      fraction.append((char) ('0' + random.nextInt(10)));
    }
    return fraction.toString();
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }
}
