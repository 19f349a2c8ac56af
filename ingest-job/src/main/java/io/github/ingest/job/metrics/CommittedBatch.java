package io.github.ingest.job.metrics;

import io.github.ingest.batch.BatchState;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What a run committed, as read back from the table: the batch's state and counts, its snapshot and
 * files, how its rows were routed, how long it took and which Flink job ran it. The one value the
 * console report, the JSON summary and the Pushgateway render.
 */
public final class CommittedBatch {

  private final BatchState state;
  private final long snapshotId;
  private final String offsets;
  private final long dataFiles;
  private final int partitions;
  private final int mostFilesInAPartition;
  private final long bytes;
  private final String routing;
  private final long nanos;
  private final String jobId;
  private final String mode;

  CommittedBatch(
      BatchState state,
      long snapshotId,
      String offsets,
      long dataFiles,
      int partitions,
      int mostFilesInAPartition,
      long bytes,
      String routing,
      long nanos,
      String jobId,
      String mode) {
    this.state = state;
    this.snapshotId = snapshotId;
    this.offsets = offsets;
    this.dataFiles = dataFiles;
    this.partitions = partitions;
    this.mostFilesInAPartition = mostFilesInAPartition;
    this.bytes = bytes;
    this.routing = routing;
    this.nanos = nanos;
    this.jobId = jobId;
    this.mode = mode;
  }

  /**
   * The batch {@code state} committed as {@code snapshot} of {@code table}, having read {@code
   * offsets}, its rows routed as {@code routing} says, in {@code nanos} by Flink job {@code jobId}
   * in runtime mode {@code mode}.
   */
  public static CommittedBatch of(
      BatchState state,
      Table table,
      Snapshot snapshot,
      String offsets,
      String routing,
      long nanos,
      String jobId,
      String mode) {
    Map<String, Integer> perPartition = new TreeMap<>();
    for (DataFile file : snapshot.addedDataFiles(table.io())) {
      perPartition.merge(
          table.specs().get(file.specId()).partitionToPath(file.partition()), 1, Integer::sum);
    }
    Map<String, String> summary = snapshot.summary();
    return new CommittedBatch(
        state,
        snapshot.snapshotId(),
        offsets,
        Long.parseLong(summary.getOrDefault("added-data-files", "0")),
        perPartition.size(),
        perPartition.values().stream().mapToInt(Integer::intValue).max().orElse(0),
        Long.parseLong(summary.getOrDefault("added-files-size", "0")),
        routing,
        nanos,
        jobId,
        mode);
  }

  /** The batch's state, with its counts. */
  public BatchState state() {
    return state;
  }

  public long snapshotId() {
    return snapshotId;
  }

  /** The ranges the batch read, e.g. {@code balance_changes 0:[0, 107) 1:[0, 193)}. */
  public String offsets() {
    return offsets;
  }

  public long dataFiles() {
    return dataFiles;
  }

  /** The partitions the batch wrote files into. */
  public int partitions() {
    return partitions;
  }

  public int mostFilesInAPartition() {
    return mostFilesInAPartition;
  }

  /** The bytes of the data files the batch added. */
  public long bytes() {
    return bytes;
  }

  /** How its rows reached the writers, and why. */
  public String routing() {
    return routing;
  }

  /** From the run's start to its commit read back. */
  public long nanos() {
    return nanos;
  }

  public String jobId() {
    return jobId;
  }

  /** Flink's runtime mode of the job, {@code BATCH}. */
  public String mode() {
    return mode;
  }
}
