package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.BatchState;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.mapping.BadRecordCorpus;
import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The malformed-message corpus mixed with good messages, through the real pipeline. The corpus
 * holds a tombstone, so its batches run with {@code tombstones.policy=bad-record}: every case a bad
 * record, as the corpus says (the default, skipping tombstones, is in WholeRecordITCase).
 */
@ExtendWith(LocalStackExtension.class)
class BadRecordsITCase {

  private static final String DEAD_LETTERS = Scenario.TABLE + "_rejected";

  @Test
  void deadLettersEveryBadRecordAndWritesEveryGoodOne(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "bad_records", 2);
    source.settings.put("tombstones.policy", "bad-record");
    Map<String, BadRecordCorpus.Case> badByPosition = produceMixed(source, 300);
    List<BadRecordCorpus.Case> cases = BadRecordCorpus.cases();
    source.settings.put("bad-records.max-ratio", "0.5");

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    int read = 300 + cases.size();
    assertThat(run.stdout)
        .contains(
            read
                + " read, 300 written, "
                + cases.size()
                + " rejected (in table "
                + DEAD_LETTERS
                + ")");
    source.assertEveryMessageOnce();
    BatchState batch = source.batches().get(0);
    assertThat(batch.read()).isEqualTo(read);
    assertThat(batch.written()).isEqualTo(300);
    assertThat(batch.rejected()).isEqualTo(cases.size());

    Table deadLetters = TableReader.load(source.settings, DEAD_LETTERS);
    List<Record> letters = TableReader.rows(deadLetters);
    assertThat(letters).hasSize(cases.size());
    SoftAssertions softly = new SoftAssertions();
    for (Record letter : letters) {
      String position = letter.getField("kafka_partition") + ":" + letter.getField("kafka_offset");
      BadRecordCorpus.Case bad = badByPosition.remove(position);
      softly.assertThat(bad).as("a corpus case at %s", position).isNotNull();
      if (bad == null) {
        continue;
      }
      softly
          .assertThat(letter.getField("error_kind"))
          .as("kind of %s", bad)
          .isEqualTo(bad.kind.name());
      softly.assertThat(letter.getField("error_field")).as("field of %s", bad).isEqualTo(bad.field);
      softly
          .assertThat((String) letter.getField("error_message"))
          .as("message of %s", bad)
          .contains(bad.fragment);
      softly
          .assertThat(bytes(letter.getField("kafka_value")))
          .as("value of %s", bad)
          .isEqualTo(bad.value);
      softly
          .assertThat(bytes(letter.getField("kafka_key")))
          .as("key of %s", bad)
          .isEqualTo(("case-" + bad.line).getBytes(StandardCharsets.UTF_8));
      softly
          .assertThat(letter.getField("kafka_value_text"))
          .as("text of %s", bad)
          .isEqualTo(text(bad.value));
      softly.assertThat(letter.getField("flink_log_batch_number")).isEqualTo("1");
      softly.assertThat(letter.getField("flink_log_file_name")).isEqualTo(batch.logFileName());
      softly
          .assertThat(letter.getField("flink_log_batch_timestamp"))
          .isEqualTo(batch.batchTimestamp());
      softly
          .assertThat(letter.getField("source_endpoint"))
          .isEqualTo(stack.kafka().bootstrapServers());
      softly.assertThat(letter.getField("source_group")).isEqualTo("ingest");
      softly.assertThat(letter.getField("kafka_topic")).isEqualTo(source.topic);
      softly.assertThat(letter.getField("kafka_timestamp")).isInstanceOf(OffsetDateTime.class);
    }
    softly.assertThat(badByPosition).as("bad records without a dead letter").isEmpty();
    softly.assertAll();
    String logBase = batch.logFileName().replace(".log", "");
    assertThat(
            stack.s3().keys(source.bucket).stream()
                .filter(key -> key.contains("/balance_changes_rejected/data/")))
        .isNotEmpty()
        .allSatisfy(
            key -> assertThat(key.substring(key.lastIndexOf('/') + 1)).startsWith(logBase + "-"));

    assertThat(source.run().stdout).startsWith("Nothing new");
    assertThat(TableReader.rows(TableReader.load(source.settings, DEAD_LETTERS)))
        .hasSize(cases.size());
  }

  @Test
  void failsAtTheFirstBadRecordOrSkipsBadRecordsAsTold(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "bad_policies", 1);
    source.produce(20);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  source.topic,
                  0,
                  null,
                  "{\"id\":\"x\",\"playerId\":\"12a\"}".getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    source.produce(20);
    source.settings.put("bad-records.policy", "fail");

    JobRunner.Result failed = source.run();

    assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
    assertThat(failed.stderr)
        .contains(
            "ingest: batch failed, nothing committed: Cannot convert field playerId to int for"
                + " column bln_chg_player_id: \"12a\" (topic bad_policies, partition 0, offset 20)")
        .doesNotContain("\tat ");
    assertThat(source.batches()).isEmpty();
    assertThat(TableReader.exists(source.settings, DEAD_LETTERS)).isFalse();

    source.settings.put("bad-records.policy", "skip");
    JobRunner.Result skipped = source.run();

    assertThat(skipped.exitCode).as(skipped.toString()).isZero();
    assertThat(skipped.stdout).contains("41 read, 40 written, 1 rejected (skipped)");
    assertThat(skipped.stderr).contains("Skipped a bad record: Cannot convert field playerId");
    source.assertEveryMessageOnce();
    assertThat(source.batches().get(0).rejected()).isEqualTo(1);
    assertThat(TableReader.exists(source.settings, DEAD_LETTERS)).isFalse();
  }

  @Test
  void failsAtTheFirstOrSkipsEveryBadRecordOfTheCorpus(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "bad_corpus_policies", 2);
    source.settings.put("tombstones.policy", "bad-record");
    Map<String, BadRecordCorpus.Case> badByPosition = produceMixed(source, 300);
    int bad = BadRecordCorpus.cases().size();
    source.settings.put("bad-records.max-ratio", "0.5");
    source.settings.put("bad-records.policy", "fail");

    JobRunner.Result failed = source.run();

    assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
    String line =
        failed
            .stderr
            .lines()
            .filter(l -> l.startsWith("ingest: batch failed, nothing committed: "))
            .findFirst()
            .orElseThrow();
    java.util.regex.Matcher at =
        java.util.regex.Pattern.compile(
                "\\(topic bad_corpus_policies, partition (\\d+), offset (\\d+)\\)$")
            .matcher(line);
    assertThat(at.find()).as(line).isTrue();
    BadRecordCorpus.Case first = badByPosition.get(at.group(1) + ":" + at.group(2));
    assertThat(first).as("the record the message names is a corpus case: %s", line).isNotNull();
    assertThat(line).contains(first.fragment);
    assertThat(source.batches()).isEmpty();

    source.settings.put("bad-records.policy", "skip");
    JobRunner.Result skipped = source.run();

    assertThat(skipped.exitCode).as(skipped.toString()).isZero();
    assertThat(skipped.stdout)
        .contains((300 + bad) + " read, 300 written, " + bad + " rejected (skipped)");
    assertThat(skipped.stderr.lines().filter(l -> l.contains("Skipped a bad record: ")))
        .hasSize(bad);
    source.assertEveryMessageOnce();
    BatchState batch = source.batches().get(0);
    assertThat(batch.read()).isEqualTo(batch.written() + batch.rejected());
    assertThat(batch.rejected()).isEqualTo(bad);
    assertThat(TableReader.exists(source.settings, DEAD_LETTERS)).isFalse();
  }

  @Test
  void failsTheBatchWhenTooManyRecordsAreBad(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "bad_threshold", 2);
    source.settings.put("tombstones.policy", "bad-record");
    produceMixed(source, 100);
    int bad = BadRecordCorpus.cases().size();

    JobRunner.Result failed = source.run();

    assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
    assertThat(failed.stderr)
        .containsPattern(
            "ingest: batch failed, nothing committed: "
                + bad
                + " of "
                + (100 + bad)
                + " records \\([0-9.]+%\\) were rejected, more than the 10% allowed by"
                + " bad-records.max-ratio; the first: .* \\(topic bad_threshold, partition \\d, offset \\d+\\)");
    assertThat(source.batches()).isEmpty();
    assertThat(TableReader.rows(TableReader.load(source.settings, DEAD_LETTERS))).isEmpty();
    assertThat(stack.s3().keys(source.bucket).stream().filter(key -> key.endsWith(".parquet")))
        .as("data files of the failed batch")
        .isEmpty();

    source.settings.put("bad-records.max-ratio", "1");
    source.settings.put("bad-records.max-count", "10");
    JobRunner.Result counted = source.run();
    assertThat(counted.exitCode).isEqualTo(1);
    assertThat(counted.stderr)
        .contains("were rejected, more than the 10 allowed by bad-records.max-count");
  }

  @Test
  void catchesUpTheDeadLettersOfARunThatDiedAfterItsCommit(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "bad_crash", 1);
    source.produce(30);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (int i = 0; i < 3; i++) {
        producer
            .send(
                new ProducerRecord<>(
                    source.topic, 0, null, ("not json " + i).getBytes(StandardCharsets.UTF_8)))
            .get();
      }
    }
    JobRunner.Result crashed = source.runWith(Scenario.failpoint(Failpoints.BEFORE_DEAD_LETTERS));
    assertThat(crashed.exitCode).as(crashed.toString()).isEqualTo(137);
    source.assertBatchNumbers(1);
    assertThat(TableReader.rows(TableReader.load(source.settings, DEAD_LETTERS))).isEmpty();

    JobRunner.Result rerun = source.run();

    assertThat(rerun.exitCode).as(rerun.toString()).isZero();
    assertThat(rerun.stdout).startsWith("Nothing new");
    assertThat(rerun.stderr).contains("Catching up the dead letters of batch 1");
    List<Record> letters = TableReader.rows(TableReader.load(source.settings, DEAD_LETTERS));
    assertThat(letters)
        .extracting(r -> r.getField("kafka_value_text"))
        .containsExactlyInAnyOrder("not json 0", "not json 1", "not json 2");
    assertThat(source.run().exitCode).isZero();
    assertThat(TableReader.rows(TableReader.load(source.settings, DEAD_LETTERS))).hasSize(3);
    source.assertEveryMessageOnce();
  }

  /**
   * Produces {@code good} good messages and every corpus case, mixed, over the partitions, and
   * returns the cases by {@code partition:offset}.
   */
  private static Map<String, BadRecordCorpus.Case> produceMixed(Scenario source, int good)
      throws Exception {
    List<BalanceChangeMessage> messages =
        BalanceChangeMessage.sample(source.topic.hashCode(), good);
    List<BadRecordCorpus.Case> cases = BadRecordCorpus.cases();
    Map<String, BadRecordCorpus.Case> byPosition = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer = source.stack.kafka().producer()) {
      int next = 0;
      for (int i = 0; i < messages.size() || next < cases.size(); i++) {
        if (i < messages.size()) {
          producer.send(new ProducerRecord<>(source.topic, i % 2, null, messages.get(i).json()));
        }
        if (next < cases.size() && (i % 5 == 0 || i >= messages.size())) {
          BadRecordCorpus.Case bad = cases.get(next++);
          RecordMetadata sent =
              producer
                  .send(
                      new ProducerRecord<>(
                          source.topic,
                          next % 2,
                          ("case-" + bad.line).getBytes(StandardCharsets.UTF_8),
                          bad.value))
                  .get();
          byPosition.put(sent.partition() + ":" + sent.offset(), bad);
        }
      }
    }
    source.expect(messages);
    return byPosition;
  }

  private static byte[] bytes(Object value) {
    if (value == null) {
      return null;
    }
    ByteBuffer buffer = ((ByteBuffer) value).duplicate();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static String text(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }
}
