package io.github.ingest.batch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the files of a run are named, and what a name says: {@code <start, yyyy-MM-dd_HH-mm-ss
 * UTC>-<run id>-...} for the data files a batch or a compaction writes, {@code
 * <prefix>-dead-letters.avro} for a batch's dead-letter manifest and {@code
 * ingest-run-<prefix>.lease} for a run's lease. The name alone tells whose file an unreferenced one
 * is and when its run started, which is what orphan removal and the run fence decide on.
 */
public final class RunFiles {

  private static final DateTimeFormatter START =
      DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss").withZone(ZoneOffset.UTC);
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String RUN = "(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})-(" + UUID + ")";
  private static final Pattern NAMED = Pattern.compile(RUN + "-.+");
  private static final String DEAD_LETTERS = "-dead-letters.avro";
  private static final Pattern OLD_DEAD_LETTER_MANIFEST =
      Pattern.compile("dead-letters-(" + UUID + ")\\.avro");
  private static final String LEASE_PREFIX = "ingest-run-";
  private static final String LEASE_SUFFIX = ".lease";
  private static final Pattern LEASE = Pattern.compile(LEASE_PREFIX + RUN + "\\.lease");

  private RunFiles() {}

  /** The prefix of every file of a run that started at {@code started}. */
  public static String prefix(Instant started, String runId) {
    return START.format(started) + "-" + runId;
  }

  /** The prefix of every file of {@code batch}'s run; its log file's base name comes first. */
  public static String prefix(BatchState batch) {
    return prefix(batch.started(), batch.runId());
  }

  /** The name of {@code batch}'s dead-letter manifest, in the dead-letter table's metadata. */
  public static String deadLetterManifest(BatchState batch) {
    return prefix(batch) + DEAD_LETTERS;
  }

  /** Whether {@code fileName} is a dead-letter manifest named after its run. */
  public static boolean isDeadLetterManifest(String fileName) {
    return fileName.endsWith(DEAD_LETTERS);
  }

  /**
   * The run id of a dead-letter manifest named by a release before manifests were named after their
   * run's start ({@code dead-letters-<run id>.avro}), if {@code fileName} is one.
   */
  public static Optional<String> oldDeadLetterManifestRun(String fileName) {
    Matcher old = OLD_DEAD_LETTER_MANIFEST.matcher(fileName);
    return old.matches() ? Optional.of(old.group(1)) : Optional.empty();
  }

  /** The name of the lease of a run that started at {@code started}. */
  public static String lease(Instant started, String runId) {
    return LEASE_PREFIX + prefix(started, runId) + LEASE_SUFFIX;
  }

  /** Whether {@code fileName} is a run's lease. */
  public static boolean isLease(String fileName) {
    return fileName.startsWith(LEASE_PREFIX) && fileName.endsWith(LEASE_SUFFIX);
  }

  /**
   * The run id in the name of lease {@code fileName} of a release before run starts were in lease
   * names ({@code ingest-run-<run id>.lease}); {@link #runOfLease} reads today's.
   */
  public static String oldLeaseRun(String fileName) {
    return fileName.substring(LEASE_PREFIX.length(), fileName.length() - LEASE_SUFFIX.length());
  }

  /** The run whose lease {@code fileName} is, if the name says when it started. */
  public static Optional<Run> runOfLease(String fileName) {
    return run(LEASE.matcher(fileName));
  }

  /** The run that wrote the file named {@code fileName}, if the name says. */
  public static Optional<Run> runOf(String fileName) {
    return run(NAMED.matcher(fileName));
  }

  private static Optional<Run> run(Matcher matcher) {
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
