package io.github.ingest.batch;

import io.github.ingest.core.batch.BatchMetadata;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a committed batch records about itself in the table: which source it read, its number and
 * start, the offsets it read per partition and its record counts. The next batch of the same source
 * starts where this one stopped. {@link StateCodec} writes it into snapshot summaries and the state
 * property, and reads it back.
 *
 * <pre>{@code
 * BatchState state = BatchState.of(source, batch, starts, stops).withCounts(13, 2, 0);
 * }</pre>
 */
public final class BatchState implements Serializable {

  private static final long serialVersionUID = 2L;

  private final String source;
  private final String serverKey;
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
  private final long duplicates;
  private final String topicId;
  private final SortedMap<Integer, Long> origin;

  BatchState(BatchStateBuilder builder) {
    this.source = builder.source;
    this.serverKey = builder.serverKey;
    this.number = builder.number;
    this.batchTimestamp = Objects.requireNonNull(builder.batchTimestamp, "batchTimestamp");
    this.logFileName = Objects.requireNonNull(builder.logFileName, "logFileName");
    this.runId = builder.runId;
    this.startOffsets = frozen(builder.startOffsets);
    this.stopOffsets = frozen(builder.stopOffsets);
    this.lostFrom = frozen(builder.lostFrom);
    this.read = builder.read;
    this.written = builder.written;
    this.rejected = builder.rejected;
    this.tombstones = builder.tombstones;
    this.duplicates = builder.duplicates;
    this.topicId = Objects.requireNonNull(builder.topicId, "topicId");
    this.origin = frozen(builder.origin);
  }

  public static BatchStateBuilder builder() {
    return new BatchStateBuilder();
  }

  /**
   * The state of {@code batch} of {@code source}, under a new run id, which reads partitions from
   * {@code startOffsets} up to (not including) {@code stopOffsets}; no records counted yet.
   */
  public static BatchState of(
      String source,
      BatchMetadata batch,
      Map<Integer, Long> startOffsets,
      Map<Integer, Long> stopOffsets) {
    return builder()
        .source(source)
        .batch(batch)
        .runId(UUID.randomUUID().toString())
        .offsets(startOffsets, stopOffsets)
        .build();
  }

  /** A builder that starts from this state. */
  public BatchStateBuilder toBuilder() {
    BatchStateBuilder builder = new BatchStateBuilder();
    builder.source = source;
    builder.serverKey = serverKey;
    builder.number = number;
    builder.batchTimestamp = batchTimestamp;
    builder.logFileName = logFileName;
    builder.runId = runId;
    builder.startOffsets = startOffsets;
    builder.stopOffsets = stopOffsets;
    builder.lostFrom = lostFrom;
    builder.read = read;
    builder.written = written;
    builder.rejected = rejected;
    builder.tombstones = tombstones;
    builder.duplicates = duplicates;
    builder.topicId = topicId;
    builder.origin = origin;
    return builder;
  }

  /**
   * This state with the counts of a finished batch: read is written plus rejected plus the
   * tombstones left out (skipped or dead-lettered).
   */
  public BatchState withCounts(long newWritten, long newRejected, long newTombstones) {
    return withCounts(newWritten, newRejected, newTombstones, 0);
  }

  /**
   * This state with the counts of a finished batch that also left out {@code newDuplicates} records
   * whose business key the table or the batch held already.
   */
  public BatchState withCounts(
      long newWritten, long newRejected, long newTombstones, long newDuplicates) {
    return toBuilder().counts(newWritten, newRejected, newTombstones, newDuplicates).build();
  }

  /** The source key, e.g. {@code kafka://<cluster id>/balance_changes?group=ingest}. */
  public String source() {
    return source;
  }

  /**
   * The key by bootstrap servers that the summary also records, in {@code ingest.source}, for the
   * first release (see {@link BatchStateBuilder#serverKey}); empty if none.
   */
  public String serverKey() {
    return serverKey;
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

  /** Records read: written plus rejected plus tombstones plus duplicates. */
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

  /** Records left out as duplicates of a business key written before: skipped or dead-lettered. */
  public long duplicates() {
    return duplicates;
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
    return StateCodec.toSummary(this).equals(StateCodec.toSummary(that));
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, number, batchTimestamp, stopOffsets);
  }

  @Override
  public String toString() {
    return "batch "
        + number
        + " of "
        + source
        + " stopping at "
        + StateCodec.formatOffsets(stopOffsets);
  }

  private static SortedMap<Integer, Long> frozen(Map<Integer, Long> offsets) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(offsets));
  }
}
