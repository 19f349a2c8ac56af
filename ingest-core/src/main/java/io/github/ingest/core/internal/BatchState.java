package io.github.ingest.core.internal;

import io.github.ingest.core.batch.BatchMetadata;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a committed batch records about itself in the table: which source it read, its number and
 * start, the offsets it read per partition and its record counts. The next batch of the same source
 * starts where this one stopped.
 *
 * <pre>{@code
 * Map<String, String> summary = state.toSummary(); // into the snapshot summary
 * BatchState read = BatchState.fromSummary(snapshot.summary());
 * }</pre>
 *
 * <p>Over 300 lines because it is an immutable value with its own codec to and from snapshot
 * summaries: accessors, equals and the offsets format, no second job.
 */
public final class BatchState implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Prefix of every summary property this class writes. */
  public static final String PREFIX = "ingest.";

  private static final String KAFKA = "kafka://";

  static final String SOURCE = PREFIX + "source";
  static final String SOURCE_ID = PREFIX + "source.id";
  static final String NUMBER = PREFIX + "batch.number";
  static final String TIMESTAMP = PREFIX + "batch.timestamp";
  static final String LOG_FILE_NAME = PREFIX + "batch.log-file-name";
  static final String RUN_ID = PREFIX + "batch.run-id";
  static final String START_OFFSETS = PREFIX + "offsets.start";
  static final String STOP_OFFSETS = PREFIX + "offsets.stop";
  static final String LOST_FROM = PREFIX + "offsets.lost-from";
  static final String READ = PREFIX + "records.read";
  static final String WRITTEN = PREFIX + "records.written";
  static final String REJECTED = PREFIX + "records.rejected";
  static final String TOMBSTONES = PREFIX + "records.tombstones";
  static final String TOPIC_ID = PREFIX + "kafka.topic-id";
  static final String ORIGIN = PREFIX + "offsets.origin";

  private final String source;
  private final long number;
  private final String batchTimestamp;
  private final String logFileName;
  private final String runId;
  private final SortedMap<Integer, Long> startOffsets;
  private final SortedMap<Integer, Long> stopOffsets;
  private final SortedMap<Integer, Long> lostFrom;
  private final long read;
  private final long written;
  private final long rejected;
  private final long tombstones;
  private final String topicId;
  private final SortedMap<Integer, Long> origin;
  private final String serverKey;

  private BatchState(
      String source,
      long number,
      String batchTimestamp,
      String logFileName,
      String runId,
      SortedMap<Integer, Long> startOffsets,
      SortedMap<Integer, Long> stopOffsets,
      SortedMap<Integer, Long> lostFrom,
      long read,
      long written,
      long rejected,
      long tombstones,
      String topicId,
      SortedMap<Integer, Long> origin,
      String serverKey) {
    this.source = source;
    this.number = number;
    this.batchTimestamp = batchTimestamp;
    this.logFileName = logFileName;
    this.runId = runId;
    this.startOffsets = startOffsets;
    this.stopOffsets = stopOffsets;
    this.lostFrom = lostFrom;
    this.read = read;
    this.written = written;
    this.rejected = rejected;
    this.tombstones = tombstones;
    this.topicId = topicId;
    this.origin = origin;
    this.serverKey = serverKey;
  }

  /**
   * The state of {@code batch} of {@code source}, which read partitions from {@code startOffsets}
   * up to (not including) {@code stopOffsets}.
   */
  public static BatchState of(
      String source,
      BatchMetadata batch,
      Map<Integer, Long> startOffsets,
      Map<Integer, Long> stopOffsets,
      long read,
      long written,
      long rejected) {
    Preconditions.checkArgument(
        source != null && !source.isEmpty(), "Invalid source key: %s", source);
    Preconditions.checkArgument(
        startOffsets.keySet().equals(stopOffsets.keySet()),
        "Invalid offsets: start offsets of partitions %s, stop offsets of partitions %s",
        startOffsets.keySet(),
        stopOffsets.keySet());
    Preconditions.checkArgument(
        read == written + rejected,
        "Invalid counts: %s read is not %s written + %s rejected",
        read,
        written,
        rejected);
    return new BatchState(
        source,
        batch.number(),
        batch.batchTimestamp(),
        batch.logFileName(),
        UUID.randomUUID().toString(),
        Collections.unmodifiableSortedMap(new TreeMap<>(startOffsets)),
        Collections.unmodifiableSortedMap(new TreeMap<>(stopOffsets)),
        Collections.emptySortedMap(),
        read,
        written,
        rejected,
        0,
        "",
        Collections.emptySortedMap(),
        "");
  }

  /**
   * This state, recording the id of the topic it read ({@code ""} if unknown) and the start offsets
   * of the source's first batch, where reading starts again if the table is rolled back to before
   * it.
   */
  public BatchState withSource(String newTopicId, Map<Integer, Long> newOrigin) {
    Preconditions.checkArgument(newTopicId != null, "Invalid topic id: %s", newTopicId);
    return with(TOPIC_ID, newTopicId, ORIGIN, formatOffsets(newOrigin));
  }

  /**
   * This state, recording it also under {@code newServerKey}, the key by bootstrap servers ({@code
   * kafka://a:9092,b:9092/topic?group=g}) under which the first release looks its batches up in
   * snapshot summaries: a downgraded job then continues after this batch instead of reading its
   * range again. The key by cluster id stays in {@code ingest.source.id}.
   */
  public BatchState withServerKey(String newServerKey) {
    Preconditions.checkArgument(
        isServerKey(newServerKey), "Invalid source key by servers: %s", newServerKey);
    Map<String, String> summary = toSummary();
    summary.put(SOURCE, newServerKey);
    summary.put(SOURCE_ID, source);
    return fromSummary(summary);
  }

  /**
   * This state, recording that retention deleted each partition's offsets from {@code newLostFrom}
   * up to its start offset before any batch read them.
   */
  public BatchState withLostFrom(Map<Integer, Long> newLostFrom) {
    newLostFrom.forEach(
        (partition, offset) ->
            Preconditions.checkArgument(
                startOffsets.containsKey(partition) && offset < startOffsets.get(partition),
                "Invalid lost offset %s of partition %s: start offsets %s",
                offset,
                partition,
                startOffsets));
    return with(LOST_FROM, formatOffsets(new TreeMap<>(newLostFrom)));
  }

  /** This state with the counts of a finished batch: read is written plus rejected. */
  public BatchState withCounts(long newWritten, long newRejected) {
    return withCounts(newWritten, newRejected, 0);
  }

  /**
   * This state with the counts of a finished batch: read is written plus rejected plus the
   * tombstones left out (skipped or dead-lettered).
   */
  public BatchState withCounts(long newWritten, long newRejected, long newTombstones) {
    Preconditions.checkArgument(
        newWritten >= 0 && newRejected >= 0 && newTombstones >= 0,
        "Invalid counts: %s written, %s rejected, %s tombstones",
        newWritten,
        newRejected,
        newTombstones);
    return with(
        READ, Long.toString(newWritten + newRejected + newTombstones),
        WRITTEN, Long.toString(newWritten),
        REJECTED, Long.toString(newRejected),
        TOMBSTONES, Long.toString(newTombstones));
  }

  /** This state with the summary values {@code keysAndValues} (key, value, key, value, ...). */
  private BatchState with(String... keysAndValues) {
    Map<String, String> summary = toSummary();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      summary.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return fromSummary(summary);
  }

  /**
   * Whether {@code summary} records a batch of {@code source}: one under the same key, or, for a
   * key that names the Kafka cluster by its id, one that an earlier release recorded under the
   * bootstrap servers it was given for the same topic and group.
   */
  public static boolean isBatchOf(String source, Map<String, String> summary) {
    String recorded = summary == null ? null : summary.get(SOURCE);
    if (recorded == null) {
      return false;
    }
    String id = summary.get(SOURCE_ID);
    if (id != null) {
      return source.equals(id) || source.equals(recorded);
    }
    if (source.equals(recorded)) {
      return true;
    }
    return !isServerKey(source) && isServerKey(recorded) && path(source).equals(path(recorded));
  }

  /**
   * Whether {@code source} names its cluster by bootstrap servers ({@code host:port}), as releases
   * before cluster ids did, rather than by the cluster's id.
   */
  static boolean isServerKey(String source) {
    int slash = source.indexOf('/', KAFKA.length());
    return source.startsWith(KAFKA)
        && slash > 0
        && source.substring(KAFKA.length(), slash).contains(":");
  }

  /** The topic and group part of a source key: {@code /topic?group=g}. */
  private static String path(String source) {
    int slash = source.indexOf('/', KAFKA.length());
    return slash < 0 ? source : source.substring(slash);
  }

  /**
   * Reads a state from a snapshot summary.
   *
   * @throws IllegalArgumentException if the summary holds no valid batch state
   */
  public static BatchState fromSummary(Map<String, String> summary) {
    String recorded = summary.get(SOURCE);
    Preconditions.checkArgument(recorded != null, "Invalid batch state: no %s", SOURCE);
    String id = summary.get(SOURCE_ID);
    return new BatchState(
        id != null ? id : recorded,
        parseLong(summary, NUMBER),
        required(summary, TIMESTAMP),
        required(summary, LOG_FILE_NAME),
        summary.getOrDefault(RUN_ID, ""),
        parseOffsets(summary, START_OFFSETS),
        parseOffsets(summary, STOP_OFFSETS),
        summary.containsKey(LOST_FROM)
            ? parseOffsets(summary, LOST_FROM)
            : Collections.emptySortedMap(),
        parseLong(summary, READ),
        parseLong(summary, WRITTEN),
        parseLong(summary, REJECTED),
        summary.containsKey(TOMBSTONES) ? parseLong(summary, TOMBSTONES) : 0,
        summary.getOrDefault(TOPIC_ID, ""),
        summary.containsKey(ORIGIN) ? parseOffsets(summary, ORIGIN) : Collections.emptySortedMap(),
        id != null ? recorded : "");
  }

  /** The summary properties that record this state. */
  public Map<String, String> toSummary() {
    Map<String, String> summary = new LinkedHashMap<>();
    if (serverKey.isEmpty()) {
      summary.put(SOURCE, source);
    } else {
      summary.put(SOURCE, serverKey);
      summary.put(SOURCE_ID, source);
    }
    summary.put(NUMBER, Long.toString(number));
    summary.put(TIMESTAMP, batchTimestamp);
    summary.put(LOG_FILE_NAME, logFileName);
    summary.put(RUN_ID, runId);
    summary.put(START_OFFSETS, formatOffsets(startOffsets));
    summary.put(STOP_OFFSETS, formatOffsets(stopOffsets));
    if (!lostFrom.isEmpty()) {
      summary.put(LOST_FROM, formatOffsets(lostFrom));
    }
    summary.put(READ, Long.toString(read));
    summary.put(WRITTEN, Long.toString(written));
    summary.put(REJECTED, Long.toString(rejected));
    if (tombstones > 0) {
      summary.put(TOMBSTONES, Long.toString(tombstones));
    }
    if (!topicId.isEmpty()) {
      summary.put(TOPIC_ID, topicId);
    }
    if (!origin.isEmpty()) {
      summary.put(ORIGIN, formatOffsets(origin));
    }
    return summary;
  }

  /** The source key, e.g. {@code kafka://broker:9092/balance_changes?group=ingest}. */
  public String source() {
    return source;
  }

  public long number() {
    return number;
  }

  public String batchTimestamp() {
    return batchTimestamp;
  }

  /** When the batch's run started: its batch timestamp, which is UTC. */
  public Instant started() {
    return LocalDateTime.parse(batchTimestamp).toInstant(ZoneOffset.UTC);
  }

  /**
   * The key by bootstrap servers that the summary records in {@code ingest.source} for the first
   * release; empty where the summary records {@link #source()} there.
   */
  public String serverKey() {
    return serverKey;
  }

  public String logFileName() {
    return logFileName;
  }

  /**
   * A random id of the run that made this state, which tells two batches apart that started in the
   * same second.
   */
  public String runId() {
    return runId;
  }

  /** The first offset read per partition. */
  public SortedMap<Integer, Long> startOffsets() {
    return startOffsets;
  }

  /** The offset after the last one read per partition: where the next batch starts. */
  public SortedMap<Integer, Long> stopOffsets() {
    return stopOffsets;
  }

  /**
   * Per partition, the first offset that retention deleted before it was read; the offsets from
   * there up to the start offset were skipped. Usually empty.
   */
  public SortedMap<Integer, Long> lostFrom() {
    return lostFrom;
  }

  /** The Kafka topic id of the topic this batch read; empty if a release before ids wrote it. */
  public String topicId() {
    return topicId;
  }

  /**
   * The start offsets of the source's first batch, carried forward; empty if a release before it
   * wrote the state.
   */
  public SortedMap<Integer, Long> origin() {
    return origin;
  }

  public long read() {
    return read;
  }

  public long written() {
    return written;
  }

  public long rejected() {
    return rejected;
  }

  /** Tombstones the batch read and left out: skipped, or dead-lettered. */
  public long tombstones() {
    return tombstones;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof BatchState)) {
      return false;
    }
    BatchState that = (BatchState) other;
    return number == that.number
        && read == that.read
        && written == that.written
        && rejected == that.rejected
        && tombstones == that.tombstones
        && source.equals(that.source)
        && batchTimestamp.equals(that.batchTimestamp)
        && logFileName.equals(that.logFileName)
        && runId.equals(that.runId)
        && startOffsets.equals(that.startOffsets)
        && stopOffsets.equals(that.stopOffsets)
        && lostFrom.equals(that.lostFrom)
        && topicId.equals(that.topicId)
        && origin.equals(that.origin)
        && serverKey.equals(that.serverKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, number, batchTimestamp, stopOffsets);
  }

  @Override
  public String toString() {
    return "batch " + number + " of " + source + " stopping at " + formatOffsets(stopOffsets);
  }

  /** {@code 0:100,1:80}. */
  static String formatOffsets(Map<Integer, Long> offsets) {
    StringBuilder text = new StringBuilder();
    offsets.forEach(
        (partition, offset) -> {
          if (text.length() > 0) {
            text.append(',');
          }
          text.append(partition).append(':').append(offset);
        });
    return text.toString();
  }

  static SortedMap<Integer, Long> parseOffsets(Map<String, String> summary, String key) {
    String text = required(summary, key);
    SortedMap<Integer, Long> offsets = new TreeMap<>();
    if (text.isEmpty()) {
      return Collections.unmodifiableSortedMap(offsets);
    }
    for (String entry : text.split(",", -1)) {
      int colon = entry.indexOf(':');
      Preconditions.checkArgument(colon > 0, "Invalid batch state: %s=%s", key, text);
      try {
        int partition = Integer.parseInt(entry.substring(0, colon));
        long offset = Long.parseLong(entry.substring(colon + 1));
        Preconditions.checkArgument(
            partition >= 0 && offset >= 0, "Invalid batch state: %s=%s", key, text);
        Preconditions.checkArgument(
            offsets.put(partition, offset) == null, "Invalid batch state: %s=%s", key, text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Invalid batch state: " + key + "=" + text, e);
      }
    }
    return Collections.unmodifiableSortedMap(offsets);
  }

  private static long parseLong(Map<String, String> summary, String key) {
    String text = required(summary, key);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid batch state: " + key + "=" + text, e);
    }
  }

  private static String required(Map<String, String> summary, String key) {
    String value = summary.get(key);
    Preconditions.checkArgument(value != null, "Invalid batch state: no %s", key);
    return value;
  }
}
