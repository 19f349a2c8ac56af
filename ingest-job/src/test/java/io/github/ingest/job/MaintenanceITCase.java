package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.BatchState;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ingest-job maintain} on the real stack, and runs that write one file per partition. */
@ExtendWith(LocalStackExtension.class)
class MaintenanceITCase {

  @Test
  void compactsThirtySmallBatchesAndTheJobGoesOnWhereItWas(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "maintain", 2);
    source.settings.put("table.partitioning", "month(bln_chg_timestamp)");
    source.settings.put("bad-records.max-ratio", "0.5");
    for (int batch = 1; batch <= 30; batch++) {
      source.produce(4);
      if (batch % 5 == 0) {
        source.produceBad(1);
      }
      JobRunner.Result run = source.run();
      assertThat(run.exitCode).as(run.toString()).isZero();
      // hash distribution: one writer per partition, so one file per partition and batch
      assertThat(run.stdout)
          .containsPattern("files: +\\d+ data files in \\d+ partitions \\(at most 1 in one\\)");
    }
    Map<String, String> before = rowsById(source.table());
    Map<String, Integer> filesBefore = filesPerPartition(source.table());
    assertThat(filesBefore.values()).as("files per partition before").anyMatch(n -> n > 5);
    assertThat(filesPerPartition(source.deadLetters()).get("")).isEqualTo(6);

    source.settings.put("maintenance.allow-short-ages", "true");
    source.settings.put("maintenance.snapshot-retention", "0 s");
    source.settings.put("maintenance.retain-last", "3");
    source.settings.put("maintenance.manifest-min-count", "4");
    JobRunner.Result dryRun = source.run("maintain", "--dry-run");
    assertThat(dryRun.exitCode).as(dryRun.toString()).isZero();
    assertThat(dryRun.stdout)
        .contains(
            "Maintenance plan of table ingest.lake.balance_changes (dry run: nothing changed)")
        .containsPattern("compact: +would rewrite \\d+ files");
    assertThat(filesPerPartition(source.table())).isEqualTo(filesBefore);

    JobRunner.Result maintained = source.run("maintain");

    assertThat(maintained.exitCode).as(maintained.toString()).isZero();
    assertThat(maintained.stdout)
        .contains("Maintained table ingest.lake.balance_changes")
        .contains("Maintained table ingest.lake.balance_changes_rejected")
        .containsPattern("compact: +rewrote \\d+ files")
        .containsPattern("snapshots: \\d+ before, \\d+ expired");
    Map<String, Integer> filesAfter = filesPerPartition(source.table());
    assertThat(filesAfter.keySet()).isEqualTo(filesBefore.keySet());
    assertThat(filesAfter.values()).as("files per partition after").containsOnly(1);
    assertThat(rowsById(source.table())).as("rows, every value").isEqualTo(before);
    assertThat(filesPerPartition(source.deadLetters()).get("")).isEqualTo(1);
    source.assertEveryDeadLetterOnce();
    assertThat(source.snapshotCount()).isLessThanOrEqualTo(3 + 2);

    source.produce(3);
    source.produceBad(1);
    JobRunner.Result next = source.run();
    assertThat(next.exitCode).as(next.toString()).isZero();
    assertThat(next.stdout).contains("Batch 31 of kafka://").contains("4 read, 3 written");
    source.assertMessageIdsOnce();
    source.assertEveryDeadLetterOnce();
    // 30 batches of 4 messages and 6 bad ones, round robin from partition 0
    assertThat(source.batches().get(source.batches().size() - 1).startOffsets())
        .isEqualTo(Map.of(0, 66L, 1, 60L));
  }

  @Test
  void removesAKilledRunsFilesButNotThoseOfARunInProgress(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "orphans", 1);
    source.produce(5);
    assertThat(source.run().exitCode).isZero();
    source.produce(5);
    JobRunner.Result killed = source.runWith(Scenario.failpoint(Failpoints.BEFORE_COMMIT));
    assertThat(killed.exitCode).as(killed.toString()).isEqualTo(137);
    long killedAt = System.currentTimeMillis();
    List<String> orphans = parquetKeys(source);
    orphans.removeAll(referencedKeys(source));
    assertThat(orphans).as("files of the killed run").isNotEmpty();

    Path barrier = source.workDir.resolve("barrier");
    JobRunner.Running inProgress =
        JobRunner.start(
            source.workDir,
            source.settings,
            Scenario.failpoint(Failpoints.BEFORE_COMMIT + ":await=" + barrier));
    awaitArrival(barrier, inProgress);
    List<String> ofTheRunInProgress = parquetKeys(source);
    ofTheRunInProgress.removeAll(orphans);
    ofTheRunInProgress.removeAll(referencedKeys(source));
    assertThat(ofTheRunInProgress).as("files of the run in progress").isNotEmpty();
    // the killed run's lease is stale once it was not renewed for 30 s
    awaitMillisSince(killedAt, 31_000);

    source.settings.put("maintenance.allow-short-ages", "true");
    source.settings.put("maintenance.orphan-age", "0 s");
    JobRunner.Result maintained = source.run("maintain");

    assertThat(maintained.exitCode).as(maintained.toString()).isZero();
    assertThat(parquetKeys(source)).doesNotContainAnyElementsOf(orphans);
    assertThat(parquetKeys(source)).containsAll(ofTheRunInProgress);
    Files.createFile(barrier.resolve("go"));
    JobRunner.Result finished = inProgress.await();
    assertThat(finished.exitCode).as(finished.toString()).isZero();
    source.assertEveryMessageOnce();
    source.assertBatchNumbers(2);
  }

  @Test
  void maintainAndARunStartedTogetherBothEndWell(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "maintain_race", 2);
    source.settings.put("table.partitioning", "month(bln_chg_timestamp)");
    for (int batch = 1; batch <= 4; batch++) {
      source.produce(6);
      assertThat(source.run().exitCode).isZero();
    }
    source.produce(6);

    JobRunner.Running maintain =
        JobRunner.start(source.workDir, source.settings, List.of(), "maintain");
    JobRunner.Running run = JobRunner.start(source.workDir, source.settings, List.of());
    JobRunner.Result maintained = maintain.await();
    JobRunner.Result ran = run.await();

    assertThat(maintained.exitCode).as(maintained.toString()).isZero();
    assertThat(ran.exitCode).as(ran.toString()).isZero();
    assertThat(ran.stdout).contains("Batch 5 of kafka://");
    source.assertMessageIdsOnce();
    assertThat(source.batches()).extracting(BatchState::number).contains(5L);
    assertThat(source.run().stdout).startsWith("Nothing new");
  }

  @Test
  void aShortOrphanAgeIsRefusedUnlessAllowed(LocalStack stack) {
    Scenario source = Scenario.create(stack, "short_age", 1);
    source.settings.put("maintenance.orphan-age", "1 h");

    JobRunner.Result refused = source.run("maintain");

    assertThat(refused.exitCode).as(refused.toString()).isEqualTo(2);
    assertThat(refused.stderr)
        .contains("ingest: Invalid value for maintenance.orphan-age: 1 h is under 24 hours")
        .contains("Set maintenance.allow-short-ages=true to accept that");
  }

  @Test
  void aBatchPausedPastItsLeaseWhileMaintainRemovesItsFilesIsRevoked(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "paused", 1);
    source.settings.put("bad-records.max-ratio", "0.5");
    source.produce(5);
    source.produceBad(1);
    assertThat(source.run().exitCode).isZero();
    source.produce(5);
    source.produceBad(1);
    // the stopped JVM's own cluster must not give its task up for lost while it sleeps
    source.settings.put("flink.heartbeat.timeout", "600000");

    Path barrier = source.workDir.resolve("barrier");
    JobRunner.Running paused =
        JobRunner.start(
            source.workDir,
            source.settings,
            Scenario.failpoint(Failpoints.BEFORE_COMMIT + ":await=" + barrier));
    awaitArrival(barrier, paused);
    List<String> itsFiles = parquetKeys(source);
    itsFiles.removeAll(referencedKeys(source));
    assertThat(itsFiles).as("data files of the paused run").isNotEmpty();
    // a long GC, a stopped container: the whole JVM stops, its lease with it
    signal("STOP", paused.pid());
    long stoppedAt = System.currentTimeMillis();
    try {
      awaitMillisSince(stoppedAt, 31_000);
      source.settings.put("maintenance.allow-short-ages", "true");
      source.settings.put("maintenance.orphan-age", "0 s");
      JobRunner.Result maintained = source.run("maintain");
      assertThat(maintained.exitCode).as(maintained.toString()).isZero();
      assertThat(maintained.stdout).contains("revoked");
      assertThat(parquetKeys(source)).doesNotContainAnyElementsOf(itsFiles);
    } finally {
      signal("CONT", paused.pid());
    }
    Files.createFile(barrier.resolve("go"));
    JobRunner.Result resumed = paused.await();

    assertThat(resumed.exitCode).as(resumed.toString()).isEqualTo(1);
    assertThat(resumed.stderr)
        .contains("ingest: batch failed, nothing committed: Cannot commit batch 2 of kafka://")
        .contains("table maintenance revoked runs that started before");
    assertThat(source.rows()).as("the table is readable").hasSize(5);
    JobRunner.Result rerun = source.run();
    assertThat(rerun.exitCode).as(rerun.toString()).isZero();
    assertThat(rerun.stdout).contains("Batch 2 of kafka://").contains("6 read, 5 written");
    source.assertEveryMessageOnce();
    source.assertEveryDeadLetterOnce();
  }

  @Test
  void maintainRacingBatchesOnBothTablesKeepsEveryRecordAndDeadLetterOnce(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "maintain_races", 2);
    source.settings.put("bad-records.max-ratio", "0.5");
    source.settings.put("table.partitioning", "month(bln_chg_timestamp)");
    source.settings.put("maintenance.allow-short-ages", "true");
    source.settings.put("maintenance.orphan-age", "0 s");
    source.settings.put("maintenance.snapshot-retention", "0 s");
    source.settings.put("maintenance.retain-last", "2");
    source.produce(6);
    source.produceBad(2);
    assertThat(source.run().exitCode).isZero();
    for (int round = 0; round < 4; round++) {
      source.produce(6);
      source.produceBad(2);
      JobRunner.Running run = JobRunner.start(source.workDir, source.settings, List.of());
      Thread.sleep(round * 700L);
      JobRunner.Result maintained = source.run("maintain");
      JobRunner.Result ran = run.await();
      assertThat(maintained.exitCode).as(maintained.toString()).isZero();
      // a run that maintenance fenced off before it took its lease fails whole; never half
      assertThat(ran.exitCode).as(ran.toString()).isIn(0, 1);
    }
    JobRunner.Result last = source.run();
    while (last.exitCode == 0 && !last.stdout.startsWith("Nothing new")) {
      last = source.run();
    }
    assertThat(last.exitCode).as(last.toString()).isZero();
    source.assertMessageIdsOnce();
    source.assertEveryDeadLetterOnce();
    assertThat(source.run("maintain").exitCode).isZero();
    source.assertMessageIdsOnce();
    source.assertEveryDeadLetterOnce();
  }

  @Test
  void aMaintainKilledAtRandomMomentsLeavesNothingTheNextOneKeeps(LocalStack stack)
      throws Exception {
    Scenario source = Scenario.create(stack, "maintain_killed", 2);
    source.settings.put("table.partitioning", "month(bln_chg_timestamp)");
    for (int batch = 0; batch < 8; batch++) {
      source.produce(4);
      assertThat(source.run().exitCode).isZero();
    }
    source.settings.put("maintenance.allow-short-ages", "true");
    source.settings.put("maintenance.orphan-age", "0 s");
    source.settings.put("maintenance.snapshot-retention", "0 s");
    source.settings.put("maintenance.retain-last", "1");
    java.util.Random random = new java.util.Random(42);
    long lastKill = 0;
    for (int kill = 0; kill < 3; kill++) {
      JobRunner.Running maintain =
          JobRunner.start(source.workDir, source.settings, List.of(), "maintain");
      Thread.sleep(1_000 + random.nextInt(6_000));
      ProcessHandle.of(maintain.pid()).ifPresent(ProcessHandle::destroyForcibly);
      maintain.await();
      lastKill = System.currentTimeMillis();
      source.assertMessageIdsOnce();
    }
    // the killed runs' leases go stale, then nothing of theirs is protected
    awaitMillisSince(lastKill, 31_000);

    JobRunner.Result maintained = source.run("maintain");

    assertThat(maintained.exitCode).as(maintained.toString()).isZero();
    source.assertMessageIdsOnce();
    assertThat(parquetKeys(source))
        .as("data files in storage: those the table references, nothing else")
        .hasSameElementsAs(referencedKeys(source));
    source.produce(3);
    assertThat(source.run().exitCode).isZero();
    source.assertMessageIdsOnce();
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor()).as("kill -%s %s", signal, pid).isZero();
  }

  private static Map<String, String> rowsById(Table table) {
    return TableReader.rows(table).stream()
        .collect(
            Collectors.toMap(
                row -> (String) row.getField("bln_chg_key"),
                Record::toString,
                (a, b) -> a + b,
                TreeMap::new));
  }

  private static Map<String, Integer> filesPerPartition(Table table) throws Exception {
    Map<String, Integer> files = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        files.merge(task.spec().partitionToPath(task.file().partition()), 1, Integer::sum);
      }
    }
    return files;
  }

  private static List<String> parquetKeys(Scenario source) {
    return source.stack.s3().keys(source.bucket).stream()
        .filter(key -> key.endsWith(".parquet") && key.contains("/balance_changes/"))
        .collect(Collectors.toList());
  }

  private static List<String> referencedKeys(Scenario source) throws Exception {
    String prefix = "s3://" + source.bucket + "/";
    List<String> keys = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = source.table().newScan().planFiles()) {
      tasks.forEach(task -> keys.add(task.file().path().toString().substring(prefix.length())));
    }
    return keys;
  }

  private static void awaitArrival(Path barrier, JobRunner.Running run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (!run.isAlive()) {
        throw new AssertionError("The run ended before the commit:\n" + run.await());
      }
      if (Files.isDirectory(barrier)) {
        try (Stream<Path> arrived = Files.list(barrier)) {
          if (arrived.findAny().isPresent()) {
            return;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("The run did not reach the commit:\n" + run.outputSoFar());
  }

  private static void awaitMillisSince(long since, long millis) throws InterruptedException {
    long left = since + millis - System.currentTimeMillis();
    if (left > 0) {
      TimeUnit.MILLISECONDS.sleep(left);
    }
  }
}
