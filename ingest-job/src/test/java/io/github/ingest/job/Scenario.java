package io.github.ingest.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.TableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One source on the shared local stack, for tests of several runs: its own topic, bucket, catalog
 * and settings, with what was produced to it and helpers to run the job and read the table.
 */
final class Scenario {

  static final String TABLE = "lake.balance_changes";

  final LocalStack stack;
  final String topic;
  final String bucket;
  final Path workDir;
  final Map<String, String> settings;
  private final int partitions;
  private final List<BalanceChangeMessage> produced = new ArrayList<>();
  private final List<String> rejected = new ArrayList<>();
  private long seed;

  private Scenario(LocalStack stack, String name, int partitions) {
    this.stack = stack;
    this.topic = name;
    this.bucket = name.replace('_', '-');
    this.partitions = partitions;
    this.workDir = stack.newDirectory(name + "-");
    this.settings = stack.jobSettings(topic, TABLE, bucket, workDir);
    this.seed = name.hashCode();
  }

  private Scenario(Scenario table, String otherTopic) {
    this.stack = table.stack;
    this.topic = otherTopic;
    this.bucket = table.bucket;
    this.partitions = table.partitions;
    this.workDir = table.workDir;
    this.settings = new java.util.HashMap<>(table.settings);
    this.settings.put("kafka.topic", otherTopic);
    this.seed = otherTopic.hashCode();
  }

  /**
   * A second source, the existing topic {@code otherTopic}, ingested into {@code table}'s table
   * with the same settings.
   */
  static Scenario sameTable(Scenario table, String otherTopic) {
    return new Scenario(table, otherTopic);
  }

  /** A new topic with {@code partitions} partitions and a new bucket, both named {@code name}. */
  static Scenario create(LocalStack stack, String name, int partitions) {
    Scenario scenario = new Scenario(stack, name, partitions);
    stack.kafka().createTopic(scenario.topic, partitions);
    stack.s3().createBucket(scenario.bucket);
    return scenario;
  }

  /** Produces {@code count} new messages, round robin over the partitions. */
  List<BalanceChangeMessage> produce(int count) throws Exception {
    List<BalanceChangeMessage> messages = produceUnexpected(count);
    produced.addAll(messages);
    return messages;
  }

  /**
   * Produces {@code count} new messages that the table must not get from the job, such as those a
   * test commits in another release's name.
   */
  List<BalanceChangeMessage> produceUnexpected(int count) throws Exception {
    List<BalanceChangeMessage> messages = BalanceChangeMessage.sample(++seed, count);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        sent.add(
            producer.send(
                new ProducerRecord<>(topic, i % partitions, null, messages.get(i).json())));
      }
      // a producer's close does not throw for sends that failed
      for (java.util.concurrent.Future<RecordMetadata> each : sent) {
        each.get(30, TimeUnit.SECONDS);
      }
    }
    return messages;
  }

  /**
   * Produces {@code messages} as they are, the first to partition {@code firstPartition} and on
   * round robin, without expecting them in the table: a producer's retries, an upstream replay.
   */
  void send(List<BalanceChangeMessage> messages, int firstPartition) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (int i = 0; i < messages.size(); i++) {
        producer
            .send(
                new ProducerRecord<>(
                    topic, (firstPartition + i) % partitions, null, messages.get(i).json()))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Produces {@code count} messages that are not JSON, round robin over the partitions; each must
   * land in the dead-letter table once.
   */
  void produceBad(int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (int i = 0; i < count; i++) {
        byte[] value = ("not json " + topic + " " + rejected.size()).getBytes(UTF_8);
        RecordMetadata sent =
            producer.send(new ProducerRecord<>(topic, i % partitions, null, value)).get();
        rejected.add(sent.partition() + ":" + sent.offset());
      }
    }
  }

  /** The dead-letter table of the scenario's table. */
  Table deadLetters() {
    return TableReader.load(settings, TABLE + "_rejected");
  }

  /** Asserts that the dead-letter table holds every bad message produced exactly once. */
  void assertEveryDeadLetterOnce() {
    assertThat(TableReader.rows(deadLetters()))
        .extracting(row -> row.getField("kafka_partition") + ":" + row.getField("kafka_offset"))
        .as("dead letters by partition and offset")
        .containsExactlyInAnyOrderElementsOf(rejected);
  }

  /** Asserts that the table's rows carry exactly the batch numbers {@code numbers}. */
  void assertRowBatchNumbers(Long... numbers) {
    assertThat(
            rows().stream()
                .map(row -> Long.parseLong((String) row.getField("flink_log_batch_number")))
                .distinct()
                .sorted()
                .collect(Collectors.toList()))
        .as("batch numbers of the rows")
        .containsExactly(numbers);
  }

  /** Deletes the consumer group's offsets of the topic, as Kafka does for an idle group. */
  void deleteGroupOffsets() throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      Set<TopicPartition> mine = new HashSet<>();
      for (int partition = 0; partition < partitions; partition++) {
        mine.add(new TopicPartition(topic, partition));
      }
      admin.deleteConsumerGroupOffsets("ingest", mine).all().get(30, TimeUnit.SECONDS);
    }
    assertThat(groupOffsets()).isEmpty();
  }

  /** Every message produced outside transactions or in committed ones. */
  List<BalanceChangeMessage> produced() {
    return Collections.unmodifiableList(produced);
  }

  /** Records messages that a test produced itself as ones that must land in the table. */
  void expect(List<BalanceChangeMessage> messages) {
    produced.addAll(messages);
  }

  JobRunner.Result run(String... args) {
    return JobRunner.run(workDir, settings, args);
  }

  /** The JVM option that arms a failpoint, e.g. {@code before-commit:await=DIR}. */
  static List<String> failpoint(String spec) {
    return List.of("-D" + Failpoints.PROPERTY + "=" + spec);
  }

  JobRunner.Result runWith(List<String> jvmOptions, String... args) {
    return JobRunner.start(workDir, settings, jvmOptions, args).await();
  }

  Table table() {
    return TableReader.load(settings);
  }

  List<Record> rows() {
    return TableReader.rows(table());
  }

  int snapshotCount() {
    int count = 0;
    for (Snapshot ignored : table().snapshots()) {
      count++;
    }
    return count;
  }

  /** The batches of the table's current history, oldest first. */
  List<BatchState> batches() {
    Table table = table();
    List<BatchState> batches = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return batches;
    }
    for (Snapshot snapshot :
        SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
      if (snapshot.summary().containsKey("ingest.source")) {
        batches.add(0, StateCodec.fromSummary(snapshot.summary()));
      }
    }
    return batches;
  }

  /** The consumer group's committed offsets of the topic, by partition. */
  Map<Integer, Long> groupOffsets() throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets("ingest")
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<Integer, Long> byPartition = new TreeMap<>();
      offsets.forEach(
          (partition, offset) -> {
            if (partition.topic().equals(topic)) {
              byPartition.put(partition.partition(), offset.offset());
            }
          });
      return byPartition;
    }
  }

  /**
   * Asserts that the table holds every expected message exactly once, nothing else, and that each
   * row carries the batch number, log file name and timestamp of a committed batch.
   */
  void assertEveryMessageOnce() {
    List<Record> rows = assertMessageIdsOnce();
    Map<String, BatchState> byNumber = new TreeMap<>();
    for (BatchState batch : batches()) {
      byNumber.put(Long.toString(batch.number()), batch);
    }
    for (Record row : rows) {
      BatchState batch = byNumber.get((String) row.getField("flink_log_batch_number"));
      assertThat(batch).as("batch of row %s", row).isNotNull();
      assertThat(row.getField("flink_log_file_name")).isEqualTo(batch.logFileName());
      assertThat(row.getField("flink_log_batch_timestamp")).isEqualTo(batch.batchTimestamp());
    }
  }

  /**
   * Asserts that the table holds every expected message exactly once and nothing else, whatever
   * history it keeps; returns the rows.
   */
  List<Record> assertMessageIdsOnce() {
    List<Record> rows = rows();
    assertThat(rows)
        .extracting(row -> (String) row.getField("bln_chg_key"))
        .as("message ids in the table")
        .containsExactlyInAnyOrderElementsOf(
            produced.stream().map(m -> m.id).collect(Collectors.toList()));
    return rows;
  }

  /** Asserts that the batch numbers in the table's history are 1, 2, ..., {@code count}. */
  void assertBatchNumbers(int count) {
    List<Long> expected = new ArrayList<>();
    for (long n = 1; n <= count; n++) {
      expected.add(n);
    }
    assertThat(batches()).extracting(BatchState::number).isEqualTo(expected);
  }

  /**
   * Asserts that every data file of the table starts with its batch's log file base name and is in
   * the bucket; with {@code noOthers}, that the bucket holds no other data file.
   */
  void assertDataFilesNamedByBatch(boolean noOthers) {
    Table table = table();
    Map<String, String> logBaseByFile = new TreeMap<>();
    for (Snapshot snapshot :
        SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
      String logFile = StateCodec.fromSummary(snapshot.summary()).logFileName();
      snapshot
          .addedDataFiles(table.io())
          .forEach(
              file ->
                  logBaseByFile.put(
                      file.path().toString(),
                      logFile.substring(0, logFile.length() - ".log".length())));
    }
    List<String> keys =
        stack.s3().keys(bucket).stream()
            .filter(key -> key.endsWith(".parquet"))
            .map(key -> "s3://" + bucket + "/" + key)
            .collect(Collectors.toList());
    assertThat(keys).as("data files in the bucket").containsAll(logBaseByFile.keySet());
    if (noOthers) {
      assertThat(keys).as("data files in the bucket").hasSameElementsAs(logBaseByFile.keySet());
    }
    logBaseByFile.forEach(
        (path, logBase) ->
            assertThat(path.substring(path.lastIndexOf('/') + 1)).startsWith(logBase + "-"));
  }
}
