package io.github.ingest.job.config;

import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.TombstonePolicy;
import io.github.ingest.iceberg.sink.Routing;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * Every setting of the job, declared once with its default and description.
 *
 * <p>Over 300 lines because it is the declaration of every setting, the single source of {@code
 * --help} and the README; it holds no logic.
 */
public final class JobOptions {

  /** Keys under this prefix are Kafka client properties, passed through. */
  public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

  /** Keys under this prefix are Iceberg catalog properties, passed through. */
  public static final String CATALOG_PREFIX = "catalog.";

  /** Keys under this prefix are Flink settings of the embedded cluster, passed through. */
  public static final String FLINK_PREFIX = "flink.";

  public static final ConfigOption<String> BOOTSTRAP_SERVERS =
      ConfigOptions.key("kafka.bootstrap-servers")
          .stringType()
          .noDefaultValue()
          .withDescription("Kafka bootstrap servers, e.g. broker-1:9092,broker-2:9092. Required.");

  public static final ConfigOption<String> TOPIC =
      ConfigOptions.key("kafka.topic")
          .stringType()
          .noDefaultValue()
          .withDescription("The Kafka topic to ingest. Required.");

  public static final ConfigOption<String> GROUP_ID =
      ConfigOptions.key("kafka.group-id")
          .stringType()
          .defaultValue("ingest")
          .withDescription(
              "Consumer group of the source; with the Kafka cluster (by its id, however the"
                  + " brokers are spelled) and the topic it identifies the source whose batches"
                  + " are counted.");

  public static final ConfigOption<String> CLIENT_ID =
      ConfigOptions.key("kafka.client-id")
          .stringType()
          .defaultValue("ingest")
          .withDescription(
              "Kafka client id (prefix) of the job's consumers; recorded in"
                  + " flink_log_source_client_id.");

  public static final ConfigOption<Duration> KAFKA_TIMEOUT =
      ConfigOptions.key("kafka.timeout")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "How long the job waits for the Kafka brokers before giving up: when planning, and"
                  + " while reading, for the next record of a range not read to its end.");

  public static final ConfigOption<String> STARTING_OFFSETS =
      ConfigOptions.key("kafka.starting-offsets")
          .stringType()
          .defaultValue("earliest")
          .withDescription(
              "Where a source with no batch in the table starts on partitions the consumer group"
                  + " has no offsets for: earliest, latest, or timestamp:<ISO-8601 instant or"
                  + " epoch millis>.");

  /** What a run does about offsets that retention deleted before any batch read them. */
  public enum LostOffsets {
    FAIL,
    SKIP;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final ConfigOption<LostOffsets> ON_LOST_OFFSETS =
      ConfigOptions.key("kafka.on-lost-offsets")
          .enumType(LostOffsets.class)
          .defaultValue(LostOffsets.FAIL)
          .withDescription(
              "When retention deleted records that no batch has read: fail (the run stops and"
                  + " says which offsets), or skip (they are logged and recorded in the snapshot"
                  + " summary as ingest.offsets.lost-from).");

  public static final ConfigOption<String> ACCEPT_TOPIC_ID =
      ConfigOptions.key("kafka.accept-topic-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The id of a topic that was deleted and created again, to read from its earliest"
                  + " offsets under the same source; batch numbers go on. A run that finds a"
                  + " recreated topic stops with exit code 2 and prints the id.");

  public static final ConfigOption<String> ACCEPT_NEW_SOURCE =
      ConfigOptions.key("table.accept-new-source")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The id of the table's current snapshot, to start a source that has no batch"
                  + " state on a table that holds rows already (another source's, or this"
                  + " source's after its state was removed). A run that finds such a table stops"
                  + " with exit code 2 and prints the id; it only works for that snapshot.");

  public static final ConfigOption<Boolean> COMMIT_GROUP_OFFSETS =
      ConfigOptions.key("kafka.commit-group-offsets")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "After a batch is committed to the table, commit its stop offsets to the consumer"
                  + " group so lag monitors see progress; a failure there is only a warning.");

  public static final ConfigOption<Long> MAX_OFFSETS_PER_PARTITION =
      ConfigOptions.key("batch.max-offsets-per-partition")
          .longType()
          .defaultValue(0L)
          .withDescription(
              "At most this many offsets of each partition per run, so a large backlog is caught"
                  + " up in several batches; 0 for no limit.");

  public static final ConfigOption<Routing.Choice> ROUTING =
      ConfigOptions.key("batch.routing")
          .enumType(Routing.Choice.class)
          .defaultValue(Routing.Choice.AUTO)
          .withDescription(
              "How rows reach the writers. auto: by partition (one file per partition) while the"
                  + " batch is estimated under a Parquet row group a writer and partition, else"
                  + " each writer writes the rows its reader read (no exchange, every core busy);"
                  + " a table whose write.distribution-mode is none, or that is not partitioned,"
                  + " goes by writer. partition or writer force one. The run's output says which"
                  + " and why.");

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

  public static final ConfigOption<String> SOURCE_NAME =
      ConfigOptions.key("source.name")
          .stringType()
          .noDefaultValue()
          .withDescription("Source name recorded in flink_log_source_name; default the topic.");

  public static final ConfigOption<String> MAPPING =
      ConfigOptions.key("mapping")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A mapping file (JSON) from the topic's messages to the table's columns; default the"
                  + " built-in balance-change mapping.");

  public static final ConfigOption<String> TABLE =
      ConfigOptions.key("table")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The target Iceberg table, namespace.name; created if missing. Default the"
                  + " mapping's table (ingest.balance_changes for the built-in mapping).");

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

  public static final ConfigOption<String> S3_ENDPOINT =
      ConfigOptions.key("catalog.s3.endpoint")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Endpoint of an S3-compatible store (MinIO, Ceph, ...), e.g."
                  + " http://minio:9000; default AWS S3.");

  public static final ConfigOption<Boolean> S3_PATH_STYLE_ACCESS =
      ConfigOptions.key("catalog.s3.path-style-access")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Address buckets as endpoint/bucket instead of bucket.endpoint, as most"
                  + " S3-compatible stores want.");

  public static final ConfigOption<String> S3_ACCESS_KEY_ID =
      ConfigOptions.key("catalog.s3.access-key-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "S3 access key; default the AWS default credential chain (AWS_ACCESS_KEY_ID,"
                  + " ~/.aws/credentials, web identity, instance or container role).");

  public static final ConfigOption<String> S3_SECRET_ACCESS_KEY =
      ConfigOptions.key("catalog.s3.secret-access-key")
          .stringType()
          .noDefaultValue()
          .withDescription("S3 secret key, with catalog.s3.access-key-id. Never logged.");

  public static final ConfigOption<String> CLIENT_REGION =
      ConfigOptions.key("catalog.client.region")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "AWS region of S3 (and Glue); default the AWS default region chain (AWS_REGION,"
                  + " ~/.aws/config), or us-east-1 when catalog.s3.endpoint is set.");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("job.parallelism")
          .intType()
          .noDefaultValue()
          .withDescription(
              "Readers and writers in parallel; default the smaller of the partitions to read and"
                  + " the available cores, or on a cluster the parallelism of flink run -p or"
                  + " parallelism.default.");

  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      ConfigOptions.key("job.restart-attempts")
          .intType()
          .defaultValue(0)
          .withDescription(
              "How often Flink restarts a failed task within the run, 10 s apart, whatever the"
                  + " cluster's restart strategy; 0 leaves retries to the scheduler's next run."
                  + " Restarts are safe: a committer that runs again recognises its batch.");

  public static final ConfigOption<Duration> MAINTENANCE_SNAPSHOT_RETENTION =
      ConfigOptions.key("maintenance.snapshot-retention")
          .durationType()
          .defaultValue(Duration.ofDays(7))
          .withDescription(
              "maintain expires snapshots older than this (time travel and rollbacks reach"
                  + " back this far), but keeps maintenance.retain-last of them.");

  public static final ConfigOption<Integer> MAINTENANCE_RETAIN_LAST =
      ConfigOptions.key("maintenance.retain-last")
          .intType()
          .defaultValue(50)
          .withDescription("maintain keeps at least this many of the newest snapshots.");

  public static final ConfigOption<Duration> MAINTENANCE_ORPHAN_AGE =
      ConfigOptions.key("maintenance.orphan-age")
          .durationType()
          .defaultValue(Duration.ofDays(1))
          .withDescription(
              "maintain removes a file of a failed run (named after its batch, referenced by no"
                  + " snapshot, its run not running) only once it is older than this.");

  public static final ConfigOption<Boolean> MAINTENANCE_ALLOW_SHORT_AGES =
      ConfigOptions.key("maintenance.allow-short-ages")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Accept a maintenance.orphan-age under 24 hours or a"
                  + " maintenance.snapshot-retention under 1 hour. Without it they are refused:"
                  + " a shorter orphan age revokes batches that run longer (they fail, exit 1),"
                  + " and a shorter retention removes files that running queries still read.");

  public static final ConfigOption<Integer> MAINTENANCE_MANIFEST_MIN_COUNT =
      ConfigOptions.key("maintenance.manifest-min-count")
          .intType()
          .defaultValue(16)
          .withDescription(
              "maintain rewrites the manifests once at least this many are smaller than"
                  + " commit.manifest.target-size-bytes.");

  public static final ConfigOption<Boolean> MAINTENANCE_DRY_RUN =
      ConfigOptions.key("maintenance.dry-run")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "maintain only prints what it would do, with counts and bytes; also the flag"
                  + " --dry-run.");

  public static final ConfigOption<Boolean> MAINTENANCE_AFTER_RUN =
      ConfigOptions.key("maintenance.after-run")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "After a committed batch, compact the table once a partition holds"
                  + " maintenance.after-run-min-files small files; also the flag --maintain.");

  public static final ConfigOption<Integer> MAINTENANCE_AFTER_RUN_MIN_FILES =
      ConfigOptions.key("maintenance.after-run-min-files")
          .intType()
          .defaultValue(8)
          .withDescription(
              "With maintenance.after-run, the small files one partition must hold before a run"
                  + " compacts.");

  public static final ConfigOption<Duration> PROGRESS_INTERVAL =
      ConfigOptions.key("progress.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(3))
          .withDescription(
              "How often a running batch prints records done of planned, rate and ETA; 0 for"
                  + " never. On a cluster the counts move with the task heartbeats"
                  + " (heartbeat.interval, 10 s by default).");

  public static final ConfigOption<Integer> NOTHING_NEW_EXIT_CODE =
      ConfigOptions.key("exit-code.nothing-new")
          .intType()
          .defaultValue(0)
          .withDescription(
              "Exit code of a run that found nothing new, e.g. 99 for Airflow's"
                  + " skip_on_exit_code; the default 0 counts it as a success.");

  public static final ConfigOption<String> PUSHGATEWAY_URL =
      ConfigOptions.key("metrics.pushgateway.url")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A Prometheus Pushgateway, e.g. http://pushgateway:9091: every run pushes its"
                  + " figures there when it ends, committed, with nothing new or failed (see"
                  + " docs/operations.md).");

  public static final ConfigOption<String> PUSHGATEWAY_JOB =
      ConfigOptions.key("metrics.pushgateway.job")
          .stringType()
          .defaultValue("ingest")
          .withDescription(
              "The job label of the pushed figures; the instance label is the table, with the"
                  + " topic and group as labels of the group too.");

  public static final ConfigOption<String> SUMMARY_JSON =
      ConfigOptions.key("summary-json")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A file to write the run's figures to as JSON when it ends, for a scheduler to"
                  + " read (--summary-json FILE).");

  private static final List<ConfigOption<?>> ALL =
      Collections.unmodifiableList(
          Arrays.asList(
              BOOTSTRAP_SERVERS,
              TOPIC,
              GROUP_ID,
              CLIENT_ID,
              KAFKA_TIMEOUT,
              STARTING_OFFSETS,
              ON_LOST_OFFSETS,
              ACCEPT_TOPIC_ID,
              ACCEPT_NEW_SOURCE,
              COMMIT_GROUP_OFFSETS,
              MAX_OFFSETS_PER_PARTITION,
              ROUTING,
              BAD_RECORDS_POLICY,
              TOMBSTONES_POLICY,
              BAD_RECORDS_MAX_RATIO,
              BAD_RECORDS_MAX_COUNT,
              DEAD_LETTER_TABLE,
              ABANDON_DEAD_LETTERS_RUN,
              SOURCE_NAME,
              MAPPING,
              TABLE,
              PARTITIONING,
              DISTRIBUTION_MODE,
              CATALOG_NAME,
              CATALOG_TYPE,
              CATALOG_URI,
              CATALOG_WAREHOUSE,
              ALLOW_HADOOP_CATALOG_ON_S3,
              S3_ENDPOINT,
              S3_PATH_STYLE_ACCESS,
              S3_ACCESS_KEY_ID,
              S3_SECRET_ACCESS_KEY,
              CLIENT_REGION,
              PARALLELISM,
              RESTART_ATTEMPTS,
              MAINTENANCE_SNAPSHOT_RETENTION,
              MAINTENANCE_RETAIN_LAST,
              MAINTENANCE_ORPHAN_AGE,
              MAINTENANCE_ALLOW_SHORT_AGES,
              MAINTENANCE_MANIFEST_MIN_COUNT,
              MAINTENANCE_DRY_RUN,
              MAINTENANCE_AFTER_RUN,
              MAINTENANCE_AFTER_RUN_MIN_FILES,
              PROGRESS_INTERVAL,
              NOTHING_NEW_EXIT_CODE,
              PUSHGATEWAY_URL,
              PUSHGATEWAY_JOB,
              SUMMARY_JSON));

  /** The catalog properties declared above for their help text; passed to the catalog as set. */
  static final List<ConfigOption<?>> CATALOG_PASS_THROUGH =
      Collections.unmodifiableList(
          Arrays.asList(
              S3_ENDPOINT,
              S3_PATH_STYLE_ACCESS,
              S3_ACCESS_KEY_ID,
              S3_SECRET_ACCESS_KEY,
              CLIENT_REGION));

  /** Settings may also come from environment variables with this prefix. */
  public static final String ENV_PREFIX = "INGEST_";

  /** The environment variable naming the properties file, as {@code --config} does. */
  public static final String CONFIG_ENV = ENV_PREFIX + "CONFIG";

  private JobOptions() {}

  /** The option's description as plain text. */
  /** The choices of a setting declared with {@code enumType}, else null. */
  static Enum<?>[] choices(ConfigOption<?> option) {
    if (option == ON_LOST_OFFSETS) {
      return LostOffsets.values();
    }
    if (option == BAD_RECORDS_POLICY) {
      return BadRecordPolicy.Action.values();
    }
    if (option == TOMBSTONES_POLICY) {
      return TombstonePolicy.values();
    }
    if (option == DISTRIBUTION_MODE) {
      return DistributionMode.values();
    }
    if (option == ROUTING) {
      return Routing.Choice.values();
    }
    return null;
  }

  public static String text(ConfigOption<?> option) {
    StringBuilder text = new StringBuilder();
    for (BlockElement block : option.description().getBlocks()) {
      if (block instanceof TextElement) {
        text.append(((TextElement) block).getFormat());
      }
    }
    return text.toString();
  }

  /**
   * The environment variable of a setting: {@code INGEST_} and the key in upper case with dots and
   * hyphens as underscores, e.g. {@code INGEST_KAFKA_BOOTSTRAP_SERVERS}.
   */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Every declared option, in the order of the help text. */
  public static List<ConfigOption<?>> all() {
    return ALL;
  }
}
