package io.github.ingest.job.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkCatalog;

/**
 * The pipeline a user would write instead of this product: the original sketch's Flink SQL (a Kafka
 * table with {@code format=json}, an Iceberg table, one {@code INSERT ... SELECT} with the same
 * mapping), in batch mode, bounded at the latest offsets. The benchmark runs it beside the job.
 *
 * <p>Arguments, {@code key=value}: {@code bootstrap}, {@code topic}, {@code table} ({@code
 * namespace.name}), {@code codec} ({@code default} for Iceberg's own, or a Parquet codec name),
 * {@code offsets} (optional: where to start, {@code partition:offset;...}, as a user who tracks the
 * offsets a run read would pass them; else the earliest), and {@code catalog.*}, the Iceberg
 * catalog's properties. Prints, like the job, {@code took:} and
 * {@code files:} lines.
 */
public final class NaivePipeline {

  private NaivePipeline() {}

  /** The Kafka table's start: the earliest offsets, or {@code offsets} as {@code p:o;p:o}. */
  private static String startup(String offsets) {
    if (offsets == null || offsets.isEmpty()) {
      return "  'scan.startup.mode' = 'earliest-offset',\n";
    }
    StringBuilder specific = new StringBuilder();
    for (String partition : offsets.split(";")) {
      String[] at = partition.split(":");
      specific.append(specific.length() == 0 ? "" : ";");
      specific.append("partition:").append(at[0]).append(",offset:").append(at[1]);
    }
    return "  'scan.startup.mode' = 'specific-offsets',\n"
        + "  'scan.startup.specific-offsets' = '"
        + specific
        + "',\n";
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> arguments = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      arguments.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    Map<String, String> catalog = new LinkedHashMap<>();
    arguments.forEach(
        (key, value) -> {
          if (key.startsWith("catalog.")) {
            catalog.put(key.substring("catalog.".length()), value);
          }
        });
    String table = arguments.get("table");
    String codec = arguments.get("codec");

    long started = System.nanoTime();
    TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    sql.executeSql(
        "CREATE TEMPORARY TABLE kafka_input (\n"
            + "  playerId STRING, currency STRING, portalId STRING,\n"
            + "  realBalance DECIMAL(29, 17), bonusBalance DECIMAL(29, 17),\n"
            + "  `timestamp` STRING, id STRING,\n"
            + "  realBalanceEUR DECIMAL(29, 17), bonusBalanceEUR DECIMAL(29, 17)\n"
            + ") WITH (\n"
            + "  'connector' = 'kafka',\n"
            + "  'topic' = '"
            + arguments.get("topic")
            + "',\n"
            + "  'properties.bootstrap.servers' = '"
            + arguments.get("bootstrap")
            + "',\n"
            + "  'properties.group.id' = 'naive',\n"
            + startup(arguments.get("offsets"))
            + "  'scan.bounded.mode' = 'latest-offset',\n"
            + "  'format' = 'json',\n"
            + "  'json.ignore-parse-errors' = 'true'\n"
            + ")");
    // CREATE CATALOG would read the cluster's Hadoop configuration, which needs HDFS classes
    sql.registerCatalog(
        "ice",
        new FlinkCatalog(
            "ice",
            "default",
            Namespace.empty(),
            CatalogLoader.custom("ice", catalog, new Configuration(), catalog.get("catalog-impl")),
            true,
            -1));
    String namespace = table.substring(0, table.indexOf('.'));
    sql.executeSql("CREATE DATABASE IF NOT EXISTS ice." + namespace);
    sql.executeSql(
        "CREATE TABLE ice."
            + table
            + " (\n"
            + "  flink_log_file_name STRING, flink_log_batch_timestamp STRING,\n"
            + "  flink_log_batch_number STRING, flink_log_source_endpoint STRING,\n"
            + "  flink_log_source_client_id STRING, flink_log_source_name STRING,\n"
            + "  flink_log_event_timestamp STRING, bln_chg_key STRING,\n"
            + "  bln_chg_player_id INT, bln_chg_portal_id INT, bln_chg_currency STRING,\n"
            + "  bln_chg_real_balance DECIMAL(29, 17), bln_chg_bonus_balance DECIMAL(29, 17),\n"
            + "  bln_chg_real_balance_eur DECIMAL(29, 17),\n"
            + "  bln_chg_bonus_balance_eur DECIMAL(29, 17),\n"
            + "  bln_chg_timestamp TIMESTAMP(3)\n"
            + ") WITH (\n"
            + "  'write.format.default' = 'parquet',\n"
            + "  'write.target-file-size-bytes' = '134217728'"
            + ("default".equals(codec)
                ? ""
                : ",\n  'write.parquet.compression-codec' = '" + codec + "'")
            + "\n)");
    sql.executeSql(
            "INSERT INTO ice."
                + table
                + "\nSELECT\n"
                + "  '2026-11-24_10-00-00.log', '2026-11-24T10:00:00.000000', '1',\n"
                + "  '"
                + arguments.get("bootstrap")
                + "', 'dummy_client_id', 'dummy_source_name',\n"
                + "  `timestamp`, id, CAST(playerId AS INT), CAST(portalId AS INT), currency,\n"
                + "  realBalance, bonusBalance, realBalanceEUR, bonusBalanceEUR,\n"
                + "  TO_TIMESTAMP(FROM_UNIXTIME(UNIX_TIMESTAMP(`timestamp`,"
                + " 'yyyy-MM-dd''T''HH:mm:ss.SSSXXX')))\n"
                + "FROM kafka_input")
        .await();
    double seconds = (System.nanoTime() - started) / 1e9;

    Catalog iceberg = CatalogUtil.buildIcebergCatalog("ice", catalog, null);
    Table written = iceberg.loadTable(TableIdentifier.parse(table));
    Snapshot snapshot = written.currentSnapshot();
    System.out.printf(
        "took: %.1f s%nfiles: %s data files, %s bytes%n",
        seconds,
        snapshot.summary().get("total-data-files"),
        snapshot.summary().get("total-files-size"));
  }
}
