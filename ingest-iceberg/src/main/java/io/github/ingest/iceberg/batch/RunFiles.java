package io.github.ingest.iceberg.batch;

import io.github.ingest.core.internal.BatchState;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the files of a run are named: {@code <start, yyyy-MM-dd_HH-mm-ss UTC>-<run id>-...}, for the
 * data files a batch or a compaction writes, a batch's dead-letter manifest and a run's lease. The
 * name alone tells whose file an unreferenced one is and when its run started, which is what orphan
 * removal and the {@link RunFence} decide on.
 */
public final class RunFiles {

  private static final DateTimeFormatter START =
      DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss").withZone(ZoneOffset.UTC);
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final Pattern NAMED =
      Pattern.compile("(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})-(" + UUID + ")-.+");

  private RunFiles() {}

  /** The prefix of every file of a run that started at {@code started}. */
  public static String prefix(Instant started, String runId) {
    return START.format(started) + "-" + runId;
  }

  /** The prefix of every file of {@code batch}'s run; its log file's base name comes first. */
  public static String prefix(BatchState batch) {
    return prefix(batch.started(), batch.runId());
  }

  /** The run that wrote the file named {@code fileName}, if the name says. */
  public static Optional<Run> runOf(String fileName) {
    Matcher matcher = NAMED.matcher(fileName);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    Instant second = LocalDateTime.parse(matcher.group(1), START).toInstant(ZoneOffset.UTC);
    return Optional.of(new Run(matcher.group(2), second));
  }

  /** A run as its file names tell it: its id and the second it started in. */
  public static final class Run {
    private final String id;
    private final Instant startSecond;

    Run(String id, Instant startSecond) {
      this.id = id;
      this.startSecond = startSecond.truncatedTo(ChronoUnit.SECONDS);
    }

    public String id() {
      return id;
    }

    /** The start, to the second: the run started at or after it, within the second. */
    public Instant startSecond() {
      return startSecond;
    }

    /** Whether a fence at {@code fence} certainly revokes this run: it started before. */
    public boolean revokedBy(Instant fence) {
      return !startSecond.plusSeconds(1).isAfter(fence);
    }
  }
}
