package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.BatchState;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What operators, clusters and brokers do between two runs or in the middle of one, each done as a
 * user would (Iceberg's table API, Kafka's admin API), and what the next run makes of it: every
 * message once, every dead letter once, batch numbers never reused, and the exit code.
 */
@ExtendWith(LocalStackExtension.class)
class OperatorActionsITCase {

  @Test
  void aCommitterThatFlinkRunsAgainAfterItsCommitCommitsNothingAndDeletesNothing(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "committer_again", 2);
    source.produce(20);
    source.produceBad(3);
    source.settings.put("bad-records.max-ratio", "0.5");
    source.settings.put("job.restart-attempts", "1");
    Path failedOnce = source.workDir.resolve("failed-once");

    // the committer fails right after its table commit, before the dead letters: Flink restarts it
    JobRunner.Result run =
        source.runWith(
            Scenario.failpoint(Failpoints.AFTER_TABLE_COMMIT + ":fail-once=" + failedOnce));

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(failedOnce).as("the committer failed once").exists();
    assertThat(run.stdout).contains("Batch 1 of kafka://").contains("23 read, 20 written");
    source.assertBatchNumbers(1);
    source.assertEveryMessageOnce();
    source.assertEveryDeadLetterOnce();
    source.assertDataFilesNamedByBatch(false);

    JobRunner.Result again = source.run();
    assertThat(again.exitCode).as(again.toString()).isZero();
    assertThat(again.stdout).startsWith("Nothing new on topic committer_again since batch 1");
    source.assertEveryMessageOnce();
    source.assertEveryDeadLetterOnce();
  }

  @Test
  void maintenanceThatExpiresEveryBatchSnapshotDoesNotResetTheSource(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "maintained", 2);
    source.settings.put("bad-records.max-ratio", "0.5");
    for (int batch = 1; batch <= 2; batch++) {
      source.produce(10);
      source.produceBad(2);
      assertThat(source.run().exitCode).isZero();
    }
    // what a maintenance job does: rewrite manifests, then expire all but the newest snapshot
    for (Table table : List.of(source.table(), source.deadLetters())) {
      table.rewriteManifests().rewriteIf(manifest -> true).commit();
      table.refresh();
      table
          .expireSnapshots()
          .expireOlderThan(System.currentTimeMillis() + 1)
          .retainLast(1)
          .commit();
    }
    assertThat(source.table().currentSnapshot().summary()).doesNotContainKey("ingest.source");
    // Kafka drops an idle group's offsets after offsets.retention.minutes
    source.deleteGroupOffsets();
    source.produce(6);
    source.produceBad(2);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("Batch 3 of kafka://").contains("8 read, 6 written");
    source.assertMessageIdsOnce();
    source.assertRowBatchNumbers(1L, 2L, 3L);
    source.assertEveryDeadLetterOnce();
  }

  @Test
  void aTableWhoseStateWasRemovedWithItsHistoryIsNotStartedAfresh(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "state_lost", 1);
    source.produce(10);
    assertThat(source.run().exitCode).isZero();
    source.produce(5);
    assertThat(source.run().exitCode).isZero();
    // ALTER TABLE ... UNSET TBLPROPERTIES, and the history expired behind another engine's commit
    Table table = source.table();
    String property =
        table.properties().keySet().stream()
            .filter(key -> key.startsWith("ingest.state."))
            .findFirst()
            .orElseThrow();
    table.updateProperties().remove(property).commit();
    table.newAppend().commit();
    table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
    source.deleteGroupOffsets();
    source.produce(3);
    long current = source.table().currentSnapshot().snapshotId();

    JobRunner.Result refused = source.run();

    assertThat(refused.exitCode).as(refused.toString()).isEqualTo(2);
    assertThat(refused.stderr)
        .contains("ingest: nothing started: Cannot start kafka://")
        .contains("the table holds 15 rows but no batch state of this source")
        .contains("set table.accept-new-source=" + current);
    assertThat(source.rows()).hasSize(15);
    // accepted: a person decided where to start, here after what the table holds
    source.settings.put("table.accept-new-source", Long.toString(current));
    source.settings.put("kafka.starting-offsets", "timestamp:" + java.time.Instant.now());
    source.produce(2);
    JobRunner.Result accepted = source.run();
    assertThat(accepted.exitCode).as(accepted.toString()).isZero();
    assertThat(accepted.stdout).contains("Batch 1 of kafka://").contains("2 read, 2 written");
  }

  @Test
  void aBatchOfTheFirstReleaseAfterOursIsContinuedAfterAndNotRolledBack(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "downgraded", 1);
    source.settings.put("bad-records.max-ratio", "0.5");
    for (int batch = 1; batch <= 2; batch++) {
      source.produce(5);
      source.produceBad(1);
      assertThat(source.run().exitCode).isZero();
    }
    Table table = source.table();
    Map<String, String> ours = table.currentSnapshot().summary();
    assertThat(table.properties()).containsEntry("ingest.format-version", "3");
    // the first release finds our newest batch under its key (the bootstrap servers it is given)
    String serverKey =
        "kafka://" + source.settings.get("kafka.bootstrap-servers") + "/downgraded?group=ingest";
    assertThat(ours)
        .containsEntry("ingest.source", serverKey)
        .containsEntry("ingest.batch.number", "2");
    // ... and commits batch 3 after it the way it did: a summary under that key, no property
    List<BalanceChangeMessage> itsMessages = source.produceUnexpected(4);
    long stop = Long.parseLong(ours.get("ingest.offsets.stop").split(":")[1]) + 4;
    AppendFiles append = table.newAppend();
    Map<String, String> summary = new java.util.LinkedHashMap<>();
    summary.put("ingest.source", serverKey);
    summary.put("ingest.batch.number", "3");
    summary.put("ingest.batch.timestamp", "2026-12-04T10:00:00.000000");
    summary.put("ingest.batch.log-file-name", "2026-12-04_10-00-00.log");
    summary.put("ingest.offsets.start", ours.get("ingest.offsets.stop"));
    summary.put("ingest.offsets.stop", "0:" + stop);
    summary.put("ingest.records.read", "4");
    summary.put("ingest.records.written", "4");
    summary.put("ingest.records.rejected", "0");
    summary.forEach(append::set);
    append.commit();
    source.produce(3);
    source.produceBad(1);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("Batch 4 of kafka://").contains("4 read, 3 written");
    assertThat(run.stdout).doesNotContain("rolled back");
    assertThat(source.rows())
        .extracting(row -> (String) row.getField("bln_chg_key"))
        .doesNotContainAnyElementsOf(
            itsMessages.stream().map(m -> m.id).collect(java.util.stream.Collectors.toList()));
    source.assertMessageIdsOnce();
    source.assertEveryDeadLetterOnce();
  }

  @Test
  void aRollbackIsReadAgainUnderANewNumberWithItsDeadLetters(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "rolled_back", 1);
    source.settings.put("bad-records.max-ratio", "0.5");
    source.produce(10);
    source.produceBad(1);
    assertThat(source.run().exitCode).isZero();
    long first = source.table().currentSnapshot().snapshotId();
    source.produce(10);
    source.produceBad(2);
    assertThat(source.run().exitCode).isZero();

    Table table = source.table();
    table.manageSnapshots().rollbackTo(first).commit();
    assertThat(source.rows()).hasSize(10);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout)
        .contains("The table was rolled back: its newest batch of this source was 2")
        .contains("Batch 3 of kafka://")
        .contains("12 read, 10 written, 2 rejected");
    source.assertEveryMessageOnce();
    assertThat(source.batches()).extracting(BatchState::number).containsExactly(1L, 3L);
    source.assertRowBatchNumbers(1L, 3L);
    source.assertEveryDeadLetterOnce();

    source.produce(1);
    JobRunner.Result next = source.run();
    assertThat(next.stdout).contains("Batch 4 of kafka://");
    source.assertEveryMessageOnce();
  }

  @Test
  void aRecreatedTopicStopsTheRunUntilItsNewIdIsAccepted(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "recreated", 1);
    source.produce(10);
    assertThat(source.run().exitCode).isZero();
    String oldId = topicId(stack, source.topic);
    recreate(stack, source.topic);
    String newId = topicId(stack, source.topic);
    assertThat(newId).isNotEqualTo(oldId);
    // the new topic grows past the old stop offsets: the offsets alone would not tell
    source.produce(15);

    JobRunner.Result refused = source.run();

    assertThat(refused.exitCode).as(refused.toString()).isEqualTo(IngestJob.EXIT_BAD_CONFIG);
    assertThat(refused.stderr)
        .doesNotContain("\tat ")
        .contains(
            "\ningest: nothing started: Topic recreated was deleted and recreated: the table's"
                + " batches read the topic with id "
                + oldId
                + ", the topic now has id "
                + newId
                + ". Set kafka.accept-topic-id="
                + newId
                + " to read the new topic from its earliest offsets; batch numbers go on");
    source.assertBatchNumbers(1);

    source.settings.put("kafka.accept-topic-id", newId);
    JobRunner.Result accepted = source.run();
    assertThat(accepted.exitCode).as(accepted.toString()).isZero();
    assertThat(accepted.stdout).contains("Batch 2 of kafka://").contains("recreated 0:[0, 15)");
    source.assertEveryMessageOnce();
    source.assertBatchNumbers(2);
    assertThat(source.batches().get(1).topicId()).isEqualTo(newId);

    JobRunner.Result after = source.run();
    assertThat(after.stdout).startsWith("Nothing new");
  }

  @Test
  void aCapSmallerThanARunOfAbortedRecordsStillMovesOn(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "capped_aborts", 1);
    source.settings.put("batch.max-offsets-per-partition", "5");
    List<BalanceChangeMessage> messages = BalanceChangeMessage.sample(7, 15);
    try (KafkaProducer<byte[], byte[]> producer =
        stack.kafka().transactionalProducer("ingest-test-capped")) {
      // offsets 0-11 aborted, 12 marker, 13-15 committed, 16 marker
      BatchesITCase.inTransaction(producer, source.topic, messages.subList(0, 12), false);
      BatchesITCase.inTransaction(producer, source.topic, messages.subList(12, 15), true);
    }
    source.expect(messages.subList(12, 15));

    JobRunner.Result first = source.run();

    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(first.stdout).contains("Batch 1 of kafka://").contains("capped_aborts 0:[0, 14)");
    JobRunner.Result second = source.run();
    assertThat(second.stdout).contains("Batch 2 of kafka://").contains("capped_aborts 0:[14, 17)");
    assertThat(source.run().stdout).startsWith("Nothing new");
    source.assertEveryMessageOnce();
    source.assertBatchNumbers(2);
  }

  @Test
  void anotherSpellingOfTheBrokersIsTheSameSource(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "respelled", 2);
    source.produce(10);
    assertThat(source.run().exitCode).isZero();
    source.deleteGroupOffsets();
    String port = source.settings.get("kafka.bootstrap-servers").replaceAll(".*:", "");
    String respelled = "localhost:" + port + ",127.0.0.1:" + port;
    source.settings.put("kafka.bootstrap-servers", respelled);
    source.produce(4);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("Batch 2 of kafka://").contains("4 read, 4 written");
    source.assertEveryMessageOnce();
    source.assertBatchNumbers(2);
    assertThat(source.rows())
        .filteredOn(row -> row.getField("flink_log_batch_number").equals("2"))
        .extracting(row -> row.getField("flink_log_source_endpoint"))
        .containsOnly(respelled);
  }

  @Test
  void aDroppedDeadLetterTableIsNeitherRefilledNorInTheWay(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "dropped_letters", 1);
    source.settings.put("bad-records.max-ratio", "0.5");
    source.produce(5);
    source.produceBad(2);
    // the run dies after the table commit, before its dead letters reach their table
    JobRunner.Result crashed = source.runWith(Scenario.failpoint(Failpoints.BEFORE_DEAD_LETTERS));
    assertThat(crashed.exitCode).as(crashed.toString()).isEqualTo(137);
    TableReader.catalog(source.settings)
        .dropTable(TableIdentifier.parse(Scenario.TABLE + "_rejected"), true);
    source.produce(5);
    source.produceBad(1);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("Batch 2 of kafka://").contains("1 rejected");
    assertThat(TableReader.rows(source.deadLetters()))
        .extracting(row -> row.getField("flink_log_batch_number"))
        .containsExactly("2");
    source.assertEveryMessageOnce();
  }

  @Test
  void aPendingDeadLetterManifestRemovedByCleanUpStopsTheRunUntilAbandoned(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "lost_letters", 1);
    source.settings.put("bad-records.max-ratio", "0.5");
    source.produce(5);
    source.produceBad(2);
    JobRunner.Result crashed = source.runWith(Scenario.failpoint(Failpoints.BEFORE_DEAD_LETTERS));
    assertThat(crashed.exitCode).as(crashed.toString()).isEqualTo(137);
    BatchState batch = source.batches().get(0);
    // an orphan-file clean-up removes the manifest, which no snapshot references yet
    String manifest =
        stack.s3().keys(source.bucket).stream()
            .filter(key -> key.endsWith(batch.runId() + "-dead-letters.avro"))
            .findFirst()
            .orElseThrow();
    stack.s3().delete(source.bucket, manifest);
    source.produce(3);

    JobRunner.Result refused = source.run();

    assertThat(refused.exitCode).as(refused.toString()).isEqualTo(IngestJob.EXIT_BAD_CONFIG);
    assertThat(refused.stderr)
        .contains("ingest: nothing started: Cannot add the 2 dead letters of batch 1 of kafka://")
        .contains("The batch's rows are committed")
        .contains("set dead-letters.abandon-run=" + batch.runId())
        .doesNotContain("\tat ");
    source.assertBatchNumbers(1);

    source.settings.put("dead-letters.abandon-run", batch.runId());
    JobRunner.Result run = source.run();
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("Batch 2 of kafka://");
    source.assertEveryMessageOnce();
  }

  private static String topicId(LocalStack stack, String topic) throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      return admin
          .describeTopics(Set.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic)
          .topicId()
          .toString();
    }
  }

  /** Deletes the topic and creates it again, empty, with as many partitions. */
  private static void recreate(LocalStack stack, String topic) throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      int partitions =
          admin
              .describeTopics(Set.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      admin.deleteTopics(Set.of(topic)).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          stack.kafka().createTopic(topic, partitions);
          return;
        } catch (IllegalStateException e) {
          if (!(e.getCause() != null && e.getCause().getCause() instanceof TopicExistsException)
              || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(200);
        }
      }
    }
  }
}
