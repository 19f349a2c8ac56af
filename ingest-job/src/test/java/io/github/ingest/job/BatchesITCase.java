package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.BatchState;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs after runs of one source: batch numbers, exactly-once, crashes, races, transactions. */
@ExtendWith(LocalStackExtension.class)
class BatchesITCase {

  @Test
  void numbersBatchesAndIngestsEveryMessageOnce(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "batches", 2);

    JobRunner.Result plan = source.run("plan");
    assertThat(plan.exitCode).as(plan.toString()).isZero();
    assertThat(plan.stdout).contains("batch:   1, after none").contains("nothing new");
    assertThat(source.stack.s3().keys(source.bucket)).as("plan writes nothing").isEmpty();

    for (int batch = 1; batch <= 3; batch++) {
      source.produce(10 * batch + 5);
      JobRunner.Result run = source.run();
      assertThat(run.exitCode).as(run.toString()).isZero();
      assertThat(run.stdout).contains("Batch " + batch + " of kafka://");
      source.assertBatchNumbers(batch);
      BatchState last = source.batches().get(batch - 1);
      assertThat(source.groupOffsets()).isEqualTo(last.stopOffsets());
    }
    source.assertEveryMessageOnce();
    source.assertDataFilesNamedByBatch(true);
    assertThat(source.rows())
        .filteredOn(row -> row.getField("flink_log_batch_number").equals("3"))
        .hasSize(35);

    int snapshots = source.snapshotCount();
    JobRunner.Result nothing = source.run();
    assertThat(nothing.exitCode).as(nothing.toString()).isZero();
    assertThat(nothing.stdout.trim())
        .isEqualTo("Nothing new on topic batches since batch 3: nothing committed.");
    assertThat(source.snapshotCount())
        .as("snapshots after a run with nothing new")
        .isEqualTo(snapshots);

    source.produce(4);
    JobRunner.Result planAgain = source.run("plan");
    assertThat(planAgain.stdout)
        .contains("batch:   4, after batch 3")
        .contains("total:   4 offsets in 2 partitions");
    source.assertBatchNumbers(3);
  }

  @Test
  void catchesUpABacklogInBatchesOfAtMostTheCap(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "capped", 1);
    source.produce(25);
    source.settings.put("batch.max-offsets-per-partition", "10");
    for (int batch = 1; batch <= 3; batch++) {
      JobRunner.Result run = source.run();
      assertThat(run.exitCode).as(run.toString()).isZero();
    }
    assertThat(source.run().stdout).startsWith("Nothing new");
    assertThat(source.batches())
        .extracting(batch -> batch.startOffsets().get(0) + "-" + batch.stopOffsets().get(0))
        .containsExactly("0-10", "10-20", "20-25");
    source.assertEveryMessageOnce();
  }

  @ParameterizedTest
  @ValueSource(strings = {Failpoints.READING, Failpoints.BEFORE_COMMIT, Failpoints.AFTER_COMMIT})
  void recoversFromARunThatDiesAbruptly(String failpoint, LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "crash_" + failpoint.replace('-', '_'), 2);
    source.produce(40);
    assertThat(source.run().exitCode).isZero();
    Map<Integer, Long> afterFirst = source.groupOffsets();
    source.produce(60);

    JobRunner.Result crashed = source.runWith(Scenario.failpoint(failpoint));

    assertThat(crashed.exitCode).as(crashed.toString()).isEqualTo(137);
    assertThat(crashed.stderr).contains("halting at failpoint " + failpoint);
    assertThat(source.groupOffsets()).as("group offsets after the crash").isEqualTo(afterFirst);
    source.assertBatchNumbers(failpoint.equals(Failpoints.AFTER_COMMIT) ? 2 : 1);

    JobRunner.Result rerun = source.run();
    assertThat(rerun.exitCode).as(rerun.toString()).isZero();
    if (failpoint.equals(Failpoints.AFTER_COMMIT)) {
      assertThat(rerun.stdout)
          .startsWith("Nothing new on topic " + source.topic + " since batch 2");
    } else {
      assertThat(rerun.stdout).contains("Batch 2 of kafka://").contains("60 written");
    }
    source.assertBatchNumbers(2);
    source.assertEveryMessageOnce();
    source.assertDataFilesNamedByBatch(false);
    assertThat(source.groupOffsets()).isEqualTo(source.batches().get(1).stopOffsets());
  }

  @Test
  void twoRunsStartedTogetherCommitOnce(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "race", 2);
    source.produce(30);
    Path barrier = source.workDir.resolve("barrier");
    List<String> jvm = Scenario.failpoint(Failpoints.BEFORE_COMMIT + ":await=" + barrier);

    JobRunner.Running first = JobRunner.start(source.workDir, source.settings, jvm);
    JobRunner.Running second = JobRunner.start(source.workDir, source.settings, jvm);
    awaitArrivals(barrier, List.of(first, second));
    Files.createFile(barrier.resolve("go"));
    List<JobRunner.Result> results = List.of(first.await(), second.await());

    assertThat(results)
        .extracting(r -> r.exitCode)
        .as(results.toString())
        .containsExactlyInAnyOrder(0, IngestJob.EXIT_CONFLICT);
    JobRunner.Result loser = results.get(0).exitCode == 0 ? results.get(1) : results.get(0);
    assertThat(loser.stderr)
        .contains("ingest: Batch 1 of kafka://")
        .contains("was committed by another run")
        .contains("Cannot commit batch 1 of kafka://")
        .contains("another run committed since this one planned")
        .doesNotContain("\tat ");
    source.assertBatchNumbers(1);
    source.assertEveryMessageOnce();
    source.assertDataFilesNamedByBatch(true);
  }

  @Test
  void ingestsExactlyTheCommittedRecordsOfTransactions(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "transactions", 1);
    List<BalanceChangeMessage> messages = BalanceChangeMessage.sample(99, 40);
    try (KafkaProducer<byte[], byte[]> producer =
        stack.kafka().transactionalProducer("ingest-test-tx")) {
      inTransaction(producer, source.topic, messages.subList(0, 10), true);
      inTransaction(producer, source.topic, messages.subList(10, 20), false);
      inTransaction(producer, source.topic, messages.subList(20, 25), true);
      inTransaction(producer, source.topic, messages.subList(25, 30), false);
    }
    source.expect(messages.subList(0, 10));
    source.expect(messages.subList(20, 25));

    // offsets: committed 0-9, marker 10, aborted 11-20, marker 21, committed 22-26, marker 27,
    // aborted 28-32, marker 33: the range ends on an abort marker, its last record is at 26
    JobRunner.Result run = source.run();
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("15 read, 15 written").contains("0:[0, 34)");
    source.assertEveryMessageOnce();

    try (KafkaProducer<byte[], byte[]> producer =
        stack.kafka().transactionalProducer("ingest-test-tx")) {
      inTransaction(producer, source.topic, messages.subList(30, 33), true);
    }
    source.expect(messages.subList(30, 33));
    // now the range ends on a commit marker
    JobRunner.Result second = source.run();
    assertThat(second.exitCode).as(second.toString()).isZero();
    assertThat(second.stdout).contains("3 read, 3 written").contains("0:[34, 38)");
    source.assertEveryMessageOnce();
    source.assertBatchNumbers(2);
  }

  @Test
  void failsOnOffsetsLostToRetentionUnlessToldToSkipThem(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "retention", 1);
    source.produce(10);
    assertThat(source.run().exitCode).isZero();
    List<BalanceChangeMessage> more = source.produce(20);
    try (Admin admin = stack.kafka().admin()) {
      admin
          .deleteRecords(
              Map.of(new TopicPartition(source.topic, 0), RecordsToDelete.beforeOffset(15)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }

    JobRunner.Result failed = source.run();
    assertThat(failed.exitCode).as(failed.toString()).isEqualTo(IngestJob.EXIT_BAD_CONFIG);
    assertThat(failed.stderr)
        .contains(
            "Offsets [10, 15) of partition 0 of topic retention were deleted by retention before"
                + " any batch read them. Set kafka.on-lost-offsets=skip");
    source.assertBatchNumbers(1);

    source.settings.put("kafka.on-lost-offsets", "skip");
    JobRunner.Result skipped = source.run();
    assertThat(skipped.exitCode).as(skipped.toString()).isZero();
    assertThat(skipped.stdout).contains("skipped: partition 0 offsets [10, 15)");
    BatchState second = source.batches().get(1);
    assertThat(second.lostFrom()).containsEntry(0, 10L);
    assertThat(second.startOffsets()).containsEntry(0, 15L);
    List<String> ids =
        source.rows().stream()
            .map(r -> (String) r.getField("bln_chg_key"))
            .collect(Collectors.toList());
    assertThat(ids)
        .containsAll(more.subList(5, 20).stream().map(m -> m.id).collect(Collectors.toList()));
    assertThat(ids)
        .doesNotContainAnyElementsOf(
            more.subList(0, 5).stream().map(m -> m.id).collect(Collectors.toList()));
  }

  @Test
  void aNewSourceStartsAtTheGroupsOffsetsElseAtTheConfiguredPosition(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "positions", 2);
    List<BalanceChangeMessage> old = source.produce(20);
    try (Admin admin = stack.kafka().admin()) {
      admin
          .alterConsumerGroupOffsets(
              "ingest", Map.of(new TopicPartition(source.topic, 0), new OffsetAndMetadata(4)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    source.settings.put("kafka.starting-offsets", "latest");

    JobRunner.Result plan = source.run("plan");

    // partition 0 from the group's offset 4, partition 1 (no group offset) from its end
    assertThat(plan.stdout)
        .contains("partition 0: [4, 10) 6 offsets")
        .contains("partition 1: [10, 10) 0 offsets");
    JobRunner.Result run = source.run();
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(source.rows()).hasSize(6);
    assertThat(source.rows())
        .extracting(r -> r.getField("bln_chg_key"))
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                old.get(8).id,
                old.get(10).id,
                old.get(12).id,
                old.get(14).id,
                old.get(16).id,
                old.get(18).id));
  }

  @Test
  void aPartitionAddedLaterStartsAtItsEarliestOffset(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "grown", 1);
    source.produce(10);
    assertThat(source.run().exitCode).isZero();
    try (Admin admin = stack.kafka().admin()) {
      admin
          .createPartitions(Map.of(source.topic, NewPartitions.increaseTo(2)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    List<BalanceChangeMessage> later = BalanceChangeMessage.sample(5, 6);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (BalanceChangeMessage message : later) {
        producer.send(new ProducerRecord<>(source.topic, 1, null, message.json()));
      }
    }
    source.expect(later);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("grown 0:[10, 10) 1:[0, 6)");
    source.assertBatchNumbers(2);
    source.assertEveryMessageOnce();
  }

  static void inTransaction(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      List<BalanceChangeMessage> messages,
      boolean commit) {
    producer.beginTransaction();
    messages.forEach(m -> producer.send(new ProducerRecord<>(topic, 0, null, m.json())));
    producer.flush();
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  static void awaitArrivals(Path barrier, List<JobRunner.Running> runs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      for (JobRunner.Running run : runs) {
        if (!run.isAlive()) {
          throw new AssertionError("A run ended before the commit:\n" + run.await());
        }
      }
      if (Files.isDirectory(barrier)) {
        try (Stream<Path> arrived = Files.list(barrier)) {
          if (arrived.count() >= runs.size()) {
            return;
          }
        }
      }
      Thread.sleep(50);
    }
    StringBuilder outputs = new StringBuilder("The runs did not reach the commit within 4 minutes");
    runs.forEach(run -> outputs.append('\n').append(run.outputSoFar()));
    throw new AssertionError(outputs);
  }
}
