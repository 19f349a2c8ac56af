package io.github.ingest.core.internal;

import java.io.Serializable;
import java.util.Locale;
import java.util.Optional;

/**
 * What a batch does with records that do not map, and how many it tolerates before it fails: a
 * producer-side schema change must not quietly route a whole topic to dead letters.
 *
 * <pre>{@code
 * BadRecordPolicy policy = BadRecordPolicy.of(BadRecordPolicy.Action.DEAD_LETTER, 0.1, -1);
 * policy.violation(counts).ifPresent(message -> { throw new IllegalStateException(message); });
 * }</pre>
 */
public final class BadRecordPolicy implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What happens to a bad record. */
  public enum Action {
    /** Stored in the dead-letter table, committed with the batch. */
    DEAD_LETTER,
    /** The batch fails at the first bad record; nothing is committed. */
    FAIL,
    /** Counted and logged, not stored. */
    SKIP;

    /** {@code dead-letter}, {@code fail}, {@code skip}. */
    public String text() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** As {@link #text()}: what a setting names it by. */
    @Override
    public String toString() {
      return text();
    }
  }

  private final Action action;
  private final double maxRatio;
  private final long maxCount;

  private BadRecordPolicy(Action action, double maxRatio, long maxCount) {
    this.action = action;
    this.maxRatio = maxRatio;
    this.maxCount = maxCount;
  }

  /**
   * A policy that fails a batch when more than {@code maxRatio} (0 to 1) of its records, or more
   * than {@code maxCount} records, are bad; a negative {@code maxCount} sets no count limit.
   */
  public static BadRecordPolicy of(Action action, double maxRatio, long maxCount) {
    if (!(maxRatio >= 0 && maxRatio <= 1)) {
      throw new IllegalArgumentException(
          "Invalid maximum ratio of bad records: " + maxRatio + " (expected 0 to 1)");
    }
    return new BadRecordPolicy(action, maxRatio, maxCount);
  }

  public Action action() {
    return action;
  }

  public double maxRatio() {
    return maxRatio;
  }

  /** The maximum number of bad records, or a negative number for no limit. */
  public long maxCount() {
    return maxCount;
  }

  /** Why a batch with these counts must fail, if it must. */
  public Optional<String> violation(RecordCounts counts) {
    long read = counts.read();
    long rejected = counts.rejected();
    if (rejected == 0) {
      return Optional.empty();
    }
    String limit = null;
    if (maxCount >= 0 && rejected > maxCount) {
      limit = "more than the " + maxCount + " allowed by bad-records.max-count";
    } else if (rejected > maxRatio * read) {
      limit =
          String.format(
              Locale.ROOT,
              "more than the %s%% allowed by bad-records.max-ratio",
              percent(maxRatio));
    }
    if (limit == null) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%d of %d records (%s%%) were rejected, %s; the first: %s",
            rejected,
            read,
            percent((double) rejected / read),
            limit,
            counts.firstRejection()));
  }

  private static String percent(double ratio) {
    double percent = ratio * 100;
    return percent == Math.rint(percent)
        ? Long.toString((long) percent)
        : String.format(Locale.ROOT, "%.1f", percent);
  }
}
