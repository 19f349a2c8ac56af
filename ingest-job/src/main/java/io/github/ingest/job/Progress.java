package io.github.ingest.job;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line of a running batch: records read of those planned, share, rate and time left.
 * The planned count is the offsets to read, an upper bound: transaction markers and aborted records
 * take offsets but are no records.
 */
final class Progress {

  private final PrintStream out;
  private final long planned;
  private final long startedNanos;
  private long reported = -1;
  private long firstDone;
  private long firstNanos;

  Progress(PrintStream out, long planned, long startedNanos) {
    this.out = out;
    this.planned = planned;
    this.startedNanos = startedNanos;
  }

  /** Prints the line if {@code done} moved since the last one: counts arrive with heartbeats. */
  void update(long done, long nowNanos) {
    if (done != reported) {
      if (firstDone == 0 && done > 0) {
        firstDone = done;
        firstNanos = nowNanos;
      }
      reported = done;
      out.println(line(done, nowNanos));
      out.flush();
    }
  }

  String line(long done, long nowNanos) {
    // once records flow, the rate since the first count: start-up would slow the early ETA
    long rate =
        done > firstDone && nowNanos > firstNanos && firstDone > 0
            ? Math.round((done - firstDone) / ((nowNanos - firstNanos) / 1e9))
            : Math.round(done / Math.max(1e-3, (nowNanos - startedNanos) / 1e9));
    long percent = planned == 0 ? 100 : Math.min(100, done * 100 / planned);
    String eta =
        rate == 0
            ? "ETA unknown"
            : String.format(
                Locale.ROOT, "ETA %d s", (Math.max(0, planned - done) + rate - 1) / rate);
    return String.format(
        Locale.ROOT,
        "  progress: %,d of %,d records (%d%%), %,d records/s, %s",
        done,
        planned,
        percent,
        rate,
        eta);
  }
}
