package io.github.ingest.batch;

import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.Preconditions;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link BatchState}; source, number, timestamp, log file name and offsets are required. A
 * state this release makes is checked (offsets of the same partitions, lost offsets below the
 * start, counts not negative); a state read from a table is taken as recorded.
 */
public final class BatchStateBuilder {

  String source;
  String serverKey = "";
  long number;
  String batchTimestamp;
  String logFileName;
  String runId = "";
  Map<Integer, Long> startOffsets = Map.of();
  Map<Integer, Long> stopOffsets = Map.of();
  Map<Integer, Long> lostFrom = Map.of();
  long read;
  long written;
  long rejected;
  long tombstones;
  long duplicates;
  String topicId = "";
  Map<Integer, Long> origin = Map.of();
  boolean recorded;

  BatchStateBuilder() {}

  /**
   * Builds a state as a table records it, counts as written, without the checks of a state this
   * release makes: what an earlier release wrote is read, not judged.
   */
  BatchStateBuilder recorded(long recordedRead) {
    this.read = recordedRead;
    this.recorded = true;
    return this;
  }

  /** The source key, by the Kafka cluster's id where it has one. */
  public BatchStateBuilder source(String newSource) {
    this.source = newSource;
    return this;
  }

  /**
   * Also records the state under {@code newServerKey}, the key by bootstrap servers ({@code
   * kafka://a:9092,b:9092/topic?group=g}) under which the first release looks its batches up: a
   * downgraded job then continues after this batch instead of reading its range again.
   */
  public BatchStateBuilder serverKey(String newServerKey) {
    this.serverKey = Objects.requireNonNull(newServerKey, "serverKey");
    return this;
  }

  /** The number, timestamp and log file name of {@code batch}. */
  public BatchStateBuilder batch(BatchMetadata batch) {
    return number(batch.number())
        .batchTimestamp(batch.batchTimestamp())
        .logFileName(batch.logFileName());
  }

  public BatchStateBuilder number(long newNumber) {
    this.number = newNumber;
    return this;
  }

  public BatchStateBuilder batchTimestamp(String newBatchTimestamp) {
    this.batchTimestamp = newBatchTimestamp;
    return this;
  }

  public BatchStateBuilder logFileName(String newLogFileName) {
    this.logFileName = newLogFileName;
    return this;
  }

  /** The run's id; {@code ""} for a state a release before run ids wrote. */
  public BatchStateBuilder runId(String newRunId) {
    this.runId = Objects.requireNonNull(newRunId, "runId");
    return this;
  }

  /** Per partition, the first offset to read and the offset after the last one. */
  public BatchStateBuilder offsets(
      Map<Integer, Long> newStartOffsets, Map<Integer, Long> newStopOffsets) {
    this.startOffsets = newStartOffsets;
    this.stopOffsets = newStopOffsets;
    return this;
  }

  /**
   * Per partition, the first offset that retention deleted before it was read, up to the start
   * offset; each must be below its partition's start.
   */
  public BatchStateBuilder lostFrom(Map<Integer, Long> newLostFrom) {
    this.lostFrom = newLostFrom;
    return this;
  }

  /** Rows written, records rejected and tombstones left out; read is their sum. */
  public BatchStateBuilder counts(long newWritten, long newRejected, long newTombstones) {
    return counts(newWritten, newRejected, newTombstones, 0);
  }

  /**
   * Rows written, records rejected, tombstones and duplicates of business keys left out; read is
   * their sum.
   */
  public BatchStateBuilder counts(
      long newWritten, long newRejected, long newTombstones, long newDuplicates) {
    this.read = newWritten + newRejected + newTombstones + newDuplicates;
    this.written = newWritten;
    this.rejected = newRejected;
    this.tombstones = newTombstones;
    this.duplicates = newDuplicates;
    return this;
  }

  /**
   * The id of the topic read ({@code ""} if unknown) and the start offsets of the source's first
   * batch, where reading starts again if the table is rolled back to before it.
   */
  public BatchStateBuilder topic(String newTopicId, Map<Integer, Long> newOrigin) {
    this.topicId = newTopicId;
    this.origin = newOrigin;
    return this;
  }

  public BatchState build() {
    if (!recorded) {
      checkInvariants();
    }
    return new BatchState(this);
  }

  /** What a state this release makes must satisfy; a recorded one is read as it was written. */
  private void checkInvariants() {
    Preconditions.checkArgument(
        source != null && !source.isEmpty(), "Invalid source key: %s", source);
    Preconditions.checkArgument(
        startOffsets.keySet().equals(stopOffsets.keySet()),
        "Invalid offsets: start offsets of partitions %s, stop offsets of partitions %s",
        startOffsets.keySet(),
        stopOffsets.keySet());
    lostFrom.forEach(
        (partition, offset) ->
            Preconditions.checkArgument(
                startOffsets.containsKey(partition) && offset < startOffsets.get(partition),
                "Invalid lost offset %s of partition %s: start offsets %s",
                offset,
                partition,
                startOffsets));
    Preconditions.checkArgument(
        written >= 0 && rejected >= 0 && tombstones >= 0 && duplicates >= 0,
        "Invalid counts: %s written, %s rejected, %s tombstones, %s duplicates",
        written,
        rejected,
        tombstones,
        duplicates);
    Preconditions.checkArgument(
        serverKey.isEmpty() || SourceKey.isServerKey(serverKey),
        "Invalid source key by servers: %s",
        serverKey);
  }
}
