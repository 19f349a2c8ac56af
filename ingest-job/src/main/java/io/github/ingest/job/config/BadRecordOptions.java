package io.github.ingest.job.config;

import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.TombstonePolicy;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** What happens to records that do not map and to tombstones, and where dead letters go. */
public final class BadRecordOptions {

  public static final ConfigOption<BadRecordPolicy.Action> BAD_RECORDS_POLICY =
      ConfigOptions.key("bad-records.policy")
          .enumType(BadRecordPolicy.Action.class)
          .defaultValue(BadRecordPolicy.Action.DEAD_LETTER)
          .withDescription(
              "What happens to a record that does not map: dead-letter (stored in the dead-letter"
                  + " table with the batch), fail (the batch fails at the first one, nothing is"
                  + " committed) or skip (counted and logged).");

  public static final ConfigOption<TombstonePolicy> TOMBSTONES_POLICY =
      ConfigOptions.key("tombstones.policy")
          .enumType(TombstonePolicy.class)
          .defaultValue(TombstonePolicy.SKIP)
          .withDescription(
              "What happens to a tombstone, a record without a value (a deleted key of a"
                  + " compacted topic): skip (counted, no row), dead-letter (in the dead-letter"
                  + " table; needs bad-records.policy=dead-letter), row (a row of the key and"
                  + " metadata, every column from the value NULL; needs them all optional) or"
                  + " bad-record (a bad record like any other). Only bad-record counts against"
                  + " the bad-record limits.");

  public static final ConfigOption<Double> BAD_RECORDS_MAX_RATIO =
      ConfigOptions.key("bad-records.max-ratio")
          .doubleType()
          .defaultValue(0.1)
          .withDescription(
              "The batch fails, committing nothing, when more than this share (0 to 1) of its"
                  + " records are bad.");

  public static final ConfigOption<Long> BAD_RECORDS_MAX_COUNT =
      ConfigOptions.key("bad-records.max-count")
          .longType()
          .defaultValue(-1L)
          .withDescription(
              "The batch fails, committing nothing, when more than this many of its records are"
                  + " bad; -1 for no limit.");

  public static final ConfigOption<String> DEAD_LETTER_TABLE =
      ConfigOptions.key("dead-letter.table")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The dead-letter table, namespace.name; default the target table's name with"
                  + " _rejected. Created when missing.");

  public static final ConfigOption<String> ABANDON_DEAD_LETTERS_RUN =
      ConfigOptions.key("dead-letters.abandon-run")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The run id of a committed batch whose dead letters can no longer be added (their"
                  + " files are gone), to go on without them; the run that stops on it prints the"
                  + " id.");

  private BadRecordOptions() {}
}
