package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class IngestJobITCase {

  private static final Pattern LOG_FILE_NAME =
      Pattern.compile("(\\d{4}-\\d{2}-\\d{2})_(\\d{2})-(\\d{2})-(\\d{2})\\.log");
  private static final Pattern PROGRESS =
      Pattern.compile(
          "(?m)^  progress: ([\\d,]+) of 240 records \\(\\d+%\\), [\\d,]+ records/s,"
              + " ETA (\\d+ s|unknown)$");
  private static final Pattern BATCH_TIMESTAMP =
      Pattern.compile("(\\d{4}-\\d{2}-\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})\\.\\d{6}");

  @Test
  void aTestProducerWhoseSendFailedFailsWhenClosed(LocalStack stack) {
    stack.kafka().createTopic("too_large", 1);
    KafkaProducer<byte[], byte[]> producer = stack.kafka().producer();
    // over the producer's max.request.size: the send fails, in its callback
    producer.send(new ProducerRecord<>("too_large", new byte[2 << 20]));

    assertThatThrownBy(producer::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("A send of this test producer failed (of 1 sends)");
  }

  @Test
  void ingestsEveryMessageAsARowOfTheMapping(LocalStack stack) throws Exception {
    String topic = "balance_changes_e2e";
    String bucket = "lake-e2e";
    stack.kafka().createTopic(topic, 3);
    stack.s3().createBucket(bucket);
    List<BalanceChangeMessage> messages = BalanceChangeMessage.sample(42, 240);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (int i = 0; i < messages.size(); i++) {
        BalanceChangeMessage message = messages.get(i);
        producer.send(new ProducerRecord<>(topic, i % 3, null, message.json()));
      }
    }

    Path workDir = stack.newDirectory("e2e-");
    Map<String, String> settings =
        stack.jobSettings(topic, "lake.balance_changes", bucket, workDir);
    settings.put("kafka.client-id", "ingest-e2e");
    settings.put("source.name", "balance-changes-e2e");
    settings.put("job.parallelism", "3");
    settings.put("table.partitioning", "none");
    settings.put("progress.interval", "200 ms");
    JobRunner.Result run = JobRunner.run(workDir, settings);

    assertThat(run.exitCode).as(run.toString()).isZero();
    Matcher progress = PROGRESS.matcher(run.stdout);
    assertThat(progress.find()).as(run.toString()).isTrue();
    assertThat(Long.parseLong(progress.group(1).replace(",", ""))).isBetween(0L, 240L);
    assertThat(run.stdout)
        .contains("Batch 1 of kafka://" + stack.kafka().clusterId() + "/" + topic)
        .contains("240 read, 240 written, 0 rejected")
        .contains("runtime mode BATCH");

    Table table = TableReader.load(settings);
    List<Record> rows = TableReader.rows(table);
    assertThat(rows).hasSize(messages.size());
    Map<String, BalanceChangeMessage> byId =
        messages.stream().collect(Collectors.toMap(m -> m.id, Function.identity()));
    String logFileName = (String) rows.get(0).getField("flink_log_file_name");
    String batchTimestamp = (String) rows.get(0).getField("flink_log_batch_timestamp");
    assertSameSecond(logFileName, batchTimestamp);
    for (Record row : rows) {
      BalanceChangeMessage message = byId.remove((String) row.getField("bln_chg_key"));
      assertThat(message).as("row for a produced message, once: %s", row).isNotNull();
      Map<String, Object> expected = new HashMap<>();
      expected.put("flink_log_file_name", logFileName);
      expected.put("flink_log_batch_timestamp", batchTimestamp);
      expected.put("flink_log_batch_number", "1");
      expected.put("flink_log_source_endpoint", stack.kafka().bootstrapServers());
      expected.put("flink_log_source_client_id", "ingest-e2e");
      expected.put("flink_log_source_name", "balance-changes-e2e");
      expected.put("flink_log_event_timestamp", message.timestamp);
      expected.put("bln_chg_key", message.id);
      expected.put("bln_chg_player_id", message.playerId);
      expected.put("bln_chg_portal_id", message.portalId);
      expected.put("bln_chg_currency", message.currency);
      expected.put("bln_chg_real_balance", BalanceChangeMessage.column(message.realBalance));
      expected.put("bln_chg_bonus_balance", BalanceChangeMessage.column(message.bonusBalance));
      expected.put("bln_chg_real_balance_eur", BalanceChangeMessage.column(message.realBalanceEur));
      expected.put(
          "bln_chg_bonus_balance_eur", BalanceChangeMessage.column(message.bonusBalanceEur));
      expected.put("bln_chg_timestamp", message.utcTimestamp());
      assertThat(row.struct().fields()).hasSize(expected.size());
      for (Map.Entry<String, Object> column : expected.entrySet()) {
        assertThat(row.getField(column.getKey()))
            .as("%s of message %s", column.getKey(), message.id)
            .isEqualTo(column.getValue());
      }
    }
    assertThat(byId).as("messages without a row").isEmpty();

    String logBase = logFileName.substring(0, logFileName.length() - ".log".length());
    List<String> dataFiles =
        stack.s3().keys(bucket).stream()
            .filter(key -> key.startsWith("warehouse/lake/balance_changes/data/"))
            .collect(Collectors.toList());
    assertThat(dataFiles)
        .as("one data file per writer, one writer per partition")
        .hasSize(3)
        .allSatisfy(
            key -> assertThat(key).matches(".*/data/" + Pattern.quote(logBase) + "-.*\\.parquet"));
    table
        .currentSnapshot()
        .addedDataFiles(table.io())
        .forEach(file -> assertThat(file.path().toString()).startsWith("s3://" + bucket + "/"));
    try (Stream<Path> local = Files.walk(workDir)) {
      assertThat(local.filter(p -> p.toString().endsWith(".parquet")))
          .as("data files on the job's local disk")
          .isEmpty();
    }
  }

  @Test
  void writesToALocalDirectoryWhenNoS3IsConfigured(LocalStack stack) throws Exception {
    String topic = "balance_changes_local";
    stack.kafka().createTopic(topic, 1);
    List<BalanceChangeMessage> messages = BalanceChangeMessage.sample(7, 20);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      messages.forEach(message -> producer.send(new ProducerRecord<>(topic, message.json())));
    }
    Path workDir = stack.newDirectory("local-");
    Path warehouse = workDir.resolve("warehouse");
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap-servers", stack.kafka().bootstrapServers());
    settings.put("kafka.topic", topic);
    settings.put("catalog.uri", "jdbc:sqlite:" + workDir.resolve("catalog.db"));
    settings.put("catalog.warehouse", warehouse.toString());

    JobRunner.Result run = JobRunner.run(workDir, settings);

    assertThat(run.exitCode).as(run.toString()).isZero();
    List<Record> rows = TableReader.rows(TableReader.load(settings));
    assertThat(rows)
        .extracting(row -> row.getField("bln_chg_key"))
        .containsExactlyInAnyOrderElementsOf(
            messages.stream().map(m -> m.id).collect(Collectors.toList()));
    Table table = TableReader.load(settings);
    assertThat(table.spec().fields())
        .as("the built-in mapping's partitioning")
        .singleElement()
        .satisfies(field -> assertThat(field.name()).isEqualTo("bln_chg_timestamp_day"));
    try (Stream<Path> files = Files.walk(warehouse)) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet")))
          .isNotEmpty()
          .allSatisfy(
              p ->
                  assertThat(p.getParent().getFileName().toString())
                      .startsWith("bln_chg_timestamp_day="));
    }
  }

  private static void assertSameSecond(String logFileName, String batchTimestamp)
      throws IOException {
    Matcher file = LOG_FILE_NAME.matcher(logFileName);
    Matcher timestamp = BATCH_TIMESTAMP.matcher(batchTimestamp);
    assertThat(file.matches()).as(logFileName).isTrue();
    assertThat(timestamp.matches()).as(batchTimestamp).isTrue();
    for (int group = 1; group <= 4; group++) {
      assertThat(file.group(group)).isEqualTo(timestamp.group(group));
    }
  }
}
