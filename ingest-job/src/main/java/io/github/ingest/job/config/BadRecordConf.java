package io.github.ingest.job.config;

import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.TombstonePolicy;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.catalog.TableIdentifier;

/** The resolved {@link BadRecordOptions}: bad records, tombstones and the dead-letter table. */
public final class BadRecordConf {

  private final Configuration options;
  private final TableIdentifier target;

  BadRecordConf(Configuration options, TableIdentifier target) {
    this.options = options;
    this.target = target;
  }

  /** What happens to bad records, and how many a batch tolerates. */
  public BadRecordPolicy policy() {
    return BadRecordPolicy.of(
        options.get(BadRecordOptions.BAD_RECORDS_POLICY),
        options.get(BadRecordOptions.BAD_RECORDS_MAX_RATIO),
        options.get(BadRecordOptions.BAD_RECORDS_MAX_COUNT));
  }

  /** What happens to tombstones, records without a value. */
  public TombstonePolicy tombstonePolicy() {
    return options.get(BadRecordOptions.TOMBSTONES_POLICY);
  }

  /** The dead-letter table: as set, or the target table's name with {@code _rejected}. */
  public TableIdentifier deadLetterTable() {
    String name = options.get(BadRecordOptions.DEAD_LETTER_TABLE);
    return name == null
        ? TableIdentifier.of(target.namespace(), target.name() + "_rejected")
        : TableIdentifier.parse(name);
  }

  /** The run id of a batch whose lost dead letters the operator gave up; {@code ""} for none. */
  public String abandonedRun() {
    return options.getOptional(BadRecordOptions.ABANDON_DEAD_LETTERS_RUN).orElse("").trim();
  }
}
