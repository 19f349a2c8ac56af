package io.github.ingest.job.config;

import io.github.ingest.iceberg.dedup.Deduplication;
import io.github.ingest.kafka.source.PlanOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;

/** The resolved {@link DedupOptions}. */
public final class DedupConf {

  private final Configuration options;

  DedupConf(Configuration options) {
    this.options = options;
  }

  /** Whether a business key is set. */
  public boolean enabled() {
    return !keyColumns().isEmpty();
  }

  /** The business key's columns; empty for no deduplication. */
  public List<String> keyColumns() {
    List<String> columns = new ArrayList<>();
    for (String column : options.getOptional(DedupOptions.DEDUP_KEY).orElse("").split(",")) {
      if (!column.isBlank()) {
        columns.add(column.trim());
      }
    }
    return columns;
  }

  /** Partitions looked back, or {@link Deduplication#ALL}. */
  public int window() {
    String value = options.get(DedupOptions.DEDUP_WINDOW).trim();
    if (value.toLowerCase(Locale.ROOT).equals("all")) {
      return Deduplication.ALL;
    }
    try {
      int window = Integer.parseInt(value);
      if (window >= 0) {
        return window;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        "Invalid value for "
            + DedupOptions.DEDUP_WINDOW.key()
            + ": "
            + value
            + " (a number of partitions, 0 or more, or all)");
  }

  /**
   * {@code plan} capped, with a business key, so that a batch of {@code partitions} partitions
   * reads at most {@code dedup.max-batch-records} offsets.
   */
  public PlanOptions capped(PlanOptions plan, int partitions) {
    if (!enabled()) {
      return plan;
    }
    long max = options.get(DedupOptions.DEDUP_MAX_BATCH_RECORDS);
    long perPartition = Math.max(1, (max + partitions - 1) / Math.max(1, partitions));
    long set = plan.maxOffsetsPerPartition();
    return set > 0 && set <= perPartition ? plan : plan.maxOffsetsPerPartition(perPartition);
  }

  public Deduplication.Action duplicates() {
    return options.get(DedupOptions.DEDUP_DUPLICATES);
  }
}
