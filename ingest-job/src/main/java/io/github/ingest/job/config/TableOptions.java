package io.github.ingest.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The table and catalog settings: which table, its mapping and partitioning, and the Iceberg
 * catalog it is in.
 */
public final class TableOptions {

  /** Keys under this prefix are Iceberg catalog properties, passed through. */
  public static final String CATALOG_PREFIX = "catalog.";

  public static final ConfigOption<String> TABLE =
      ConfigOptions.key("table")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The target Iceberg table, namespace.name; created if missing. Default the"
                  + " mapping's table (ingest.balance_changes for the built-in mapping).");

  public static final ConfigOption<String> MAPPING =
      ConfigOptions.key("mapping")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A mapping file (JSON) from the topic's messages to the table's columns; default the"
                  + " built-in balance-change mapping.");

  public static final ConfigOption<String> PARTITIONING =
      ConfigOptions.key("table.partitioning")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "How a new table is partitioned: none, or partition fields such as"
                  + " day(bln_chg_timestamp), bucket(16, id); default the mapping's partitioning.");

  /** How rows reach the writers of a partitioned table. */
  public enum DistributionMode {
    /** All rows of a partition go to one writer: one file per partition and batch. */
    HASH,
    /** Each writer writes every partition it sees: up to one file per partition and writer. */
    NONE;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final ConfigOption<DistributionMode> DISTRIBUTION_MODE =
      ConfigOptions.key("table.distribution-mode")
          .enumType(DistributionMode.class)
          .noDefaultValue()
          .withDescription(
              "write.distribution-mode of a new table: hash (the default) lets batch.routing"
                  + " route a batch's rows by partition where that saves small files; none keeps"
                  + " each writer writing every partition it sees. An existing table keeps its"
                  + " own.");

  public static final ConfigOption<String> ACCEPT_NEW_SOURCE =
      ConfigOptions.key("table.accept-new-source")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The id of the table's current snapshot, to start a source that has no batch"
                  + " state on a table that holds rows already (another source's, or this"
                  + " source's after its state was removed). A run that finds such a table stops"
                  + " with exit code 2 and prints the id; it only works for that snapshot.");

  public static final ConfigOption<String> CATALOG_NAME =
      ConfigOptions.key("catalog.name")
          .stringType()
          .defaultValue("ingest")
          .withDescription(
              "Name of the Iceberg catalog. A JDBC catalog keys its tables by this name: readers"
                  + " must use the same.");

  public static final ConfigOption<String> CATALOG_TYPE =
      ConfigOptions.key("catalog.type")
          .stringType()
          .defaultValue("jdbc")
          .withDescription(
              "Iceberg catalog type: jdbc, rest, hive, glue or hadoop (or set catalog.catalog-impl)."
                  + " Every other catalog.* key is passed to the catalog as it is, e.g."
                  + " catalog.uri, catalog.warehouse, catalog.s3.endpoint.");

  public static final ConfigOption<String> CATALOG_URI =
      ConfigOptions.key("catalog.uri")
          .stringType()
          .defaultValue("jdbc:sqlite:ingest-catalog.db")
          .withDescription("Catalog URI; the default is a SQLite file in the working directory.");

  public static final ConfigOption<String> CATALOG_WAREHOUSE =
      ConfigOptions.key("catalog.warehouse")
          .stringType()
          .defaultValue("warehouse")
          .withDescription(
              "Where new tables' files go: s3://bucket/path uses S3FileIO; the default is a"
                  + " local directory.");

  public static final ConfigOption<Boolean> ALLOW_HADOOP_CATALOG_ON_S3 =
      ConfigOptions.key("catalog.allow-hadoop-on-s3")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Accept catalog.type=hadoop with an s3:// warehouse, which is unsafe (no atomic"
                  + " rename): refused otherwise.");

  private TableOptions() {}
}
