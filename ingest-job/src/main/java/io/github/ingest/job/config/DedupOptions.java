package io.github.ingest.job.config;

import io.github.ingest.iceberg.dedup.Deduplication;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Deduplication by business key: which columns, how far back, what happens to a duplicate. */
public final class DedupOptions {

  public static final ConfigOption<String> DEDUP_KEY =
      ConfigOptions.key("dedup.key")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The business key: one or more columns of the table, comma-separated (string, int"
                  + " or long), e.g. bln_chg_key. A record whose key the batch or the table holds"
                  + " already is not written again. Unset: no deduplication.");

  public static final ConfigOption<String> DEDUP_WINDOW =
      ConfigOptions.key("dedup.window")
          .stringType()
          .defaultValue("7")
          .withDescription(
              "How far back a duplicate is looked for: a number of partitions of the table's time"
                  + " partitioning before each record's own (7 with daily partitions: the record's"
                  + " day and the 7 days before it), or all for the whole table.");

  public static final ConfigOption<Deduplication.Action> DEDUP_DUPLICATES =
      ConfigOptions.key("dedup.duplicates")
          .enumType(Deduplication.Action.class)
          .defaultValue(Deduplication.Action.DEAD_LETTER)
          .withDescription(
              "What happens to a duplicate, a record whose key was written before with the same"
                  + " values: dead-letter (stored in the dead-letter table with the batch that"
                  + " first wrote the key; needs bad-records.policy=dead-letter) or skip (counted"
                  + " and logged). A record whose key was written with other values is a bad"
                  + " record under bad-records.policy.");

  public static final ConfigOption<Long> DEDUP_MAX_BATCH_RECORDS =
      ConfigOptions.key("dedup.max-batch-records")
          .longType()
          .defaultValue(5_000_000L)
          .withDescription(
              "With a business key, a batch reads at most this many offsets, spread evenly over"
                  + " the topic's partitions (and within batch.max-offsets-per-partition), so a"
                  + " backlog is caught up in several batches: the batch's keys are held in memory,"
                  + " 32 to 64 bytes each.");

  private DedupOptions() {}
}
