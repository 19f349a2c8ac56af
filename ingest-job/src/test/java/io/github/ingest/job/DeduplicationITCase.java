package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.BatchState;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deduplication by business key on the real stack: a producer's retries, an upstream replay, a
 * replay with another amount, racing runs and a rollback; every key once, counts reconciled.
 */
@ExtendWith(LocalStackExtension.class)
class DeduplicationITCase {

  private static Scenario deduplicated(LocalStack stack, String name, int partitions) {
    Scenario source = Scenario.create(stack, name, partitions);
    source.settings.put("dedup.key", "bln_chg_key");
    return source;
  }

  @Test
  void aProducersRetriesWithinAndAcrossBatchesAndAfterCompactionAreWrittenOnce(LocalStack stack)
      throws Exception {
    Scenario source = deduplicated(stack, "dedup_retries", 2);
    source.settings.put("table.partitioning", "month(bln_chg_timestamp)");
    List<BalanceChangeMessage> first = source.produce(30);
    // retried: the same bytes again, half of them to the other partition
    source.send(first.subList(0, 10), 1);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout)
        .contains(
            "40 read, 30 written, 0 rejected, 10 duplicates in table lake.balance_changes_rejected");
    source.assertEveryMessageOnce();
    List<Record> letters = TableReader.rows(source.deadLetters());
    assertThat(letters).hasSize(10);
    assertThat(letters)
        .allSatisfy(
            letter -> {
              assertThat(letter.getField("error_kind")).isEqualTo("DUPLICATE");
              assertThat((String) letter.getField("error_message"))
                  .startsWith("duplicate of bln_chg_key=\"")
                  .contains(", first read in this batch at partition ");
            });

    List<BalanceChangeMessage> second = source.produce(10);
    assertThat(source.run().exitCode).isZero();
    source.settings.put("maintenance.allow-short-ages", "true");
    JobRunner.Result maintained = source.run("maintain");
    assertThat(maintained.exitCode).as(maintained.toString()).isZero();
    assertThat(maintained.stdout).containsPattern("compact: +rewrote \\d+ files");

    // retried once more after their batches were compacted, with new records
    source.send(first.subList(20, 25), 0);
    source.send(second.subList(0, 5), 1);
    source.produce(5);
    JobRunner.Result again = source.run();

    assertThat(again.exitCode).as(again.toString()).isZero();
    assertThat(again.stdout).contains("15 read, 5 written, 0 rejected, 10 duplicates");
    source.assertEveryMessageOnce();
    List<String> reasons =
        TableReader.rows(source.deadLetters()).stream()
            .map(letter -> (String) letter.getField("error_message"))
            .collect(Collectors.toList());
    for (BalanceChangeMessage retried : first.subList(20, 25)) {
      assertThat(reasons)
          .contains("duplicate of bln_chg_key=\"" + retried.id + "\", first written in batch 1");
    }
    for (BalanceChangeMessage retried : second.subList(0, 5)) {
      assertThat(reasons)
          .contains("duplicate of bln_chg_key=\"" + retried.id + "\", first written in batch 2");
    }
    BatchState last = source.batches().get(2);
    assertThat(last.read()).isEqualTo(15);
    assertThat(last.duplicates()).isEqualTo(10);

    // a backlog beyond the keys a batch may hold is caught up in batches of that many
    source.produce(30);
    source.settings.put("dedup.max-batch-records", "20");
    JobRunner.Result capped = source.run();
    assertThat(capped.exitCode).as(capped.toString()).isZero();
    assertThat(capped.stdout).contains("20 read, 20 written");
    JobRunner.Result rest = source.run();
    assertThat(rest.exitCode).as(rest.toString()).isZero();
    assertThat(rest.stdout).contains("10 read, 10 written");
    source.assertEveryMessageOnce();
  }

  @Test
  void anUpstreamReplayOfADayAWeekLaterIsLeftOut(LocalStack stack) throws Exception {
    Scenario source = deduplicated(stack, "dedup_replay", 2);
    source.settings.put("dedup.duplicates", "skip");
    List<BalanceChangeMessage> day = onDays(BalanceChangeMessage.sample(1, 20), 1, 1);
    source.send(day, 0);
    source.expect(day);
    assertThat(source.run().exitCode).isZero();
    // a week of other days, one batch a day
    for (int d = 2; d <= 8; d++) {
      List<BalanceChangeMessage> other = onDays(BalanceChangeMessage.sample(d, 5), d, d);
      source.send(other, 0);
      source.expect(other);
      assertThat(source.run().exitCode).isZero();
    }

    source.send(day, 1);
    List<BalanceChangeMessage> fresh = onDays(BalanceChangeMessage.sample(9, 5), 9, 9);
    source.send(fresh, 0);
    source.expect(fresh);
    JobRunner.Result replayed = source.run();

    assertThat(replayed.exitCode).as(replayed.toString()).isZero();
    assertThat(replayed.stdout).contains("25 read, 5 written, 0 rejected, 20 duplicates skipped");
    source.assertEveryMessageOnce();
    assertThat(source.batches().get(8).duplicates()).isEqualTo(20);
  }

  @Test
  void aReplayWithAnotherAmountIsABadRecordShowingBothValues(LocalStack stack) throws Exception {
    Scenario source = deduplicated(stack, "dedup_changed", 1);
    source.settings.put("bad-records.max-ratio", "1");
    List<BalanceChangeMessage> first = source.produce(10);
    assertThat(source.run().exitCode).isZero();
    BalanceChangeMessage original = first.get(3);
    BalanceChangeMessage changed = original.withRealBalance(new BigDecimal("42.5"));
    source.send(List.of(changed), 0);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("1 read, 0 written, 1 rejected");
    source.assertEveryMessageOnce();
    List<Record> letters = TableReader.rows(source.deadLetters());
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).getField("error_kind")).isEqualTo("CONFLICTING_DUPLICATE");
    assertThat((String) letters.get(0).getField("error_message"))
        .isEqualTo(
            String.format(
                Locale.ROOT,
                "bln_chg_key=\"%s\" was written in batch 1 with other values: bln_chg_real_balance"
                    + " %s in the table, %s in this record",
                original.id,
                BalanceChangeMessage.column(original.realBalance).toPlainString(),
                BalanceChangeMessage.column(changed.realBalance).toPlainString()));

    source.send(List.of(changed), 0);
    source.settings.put("bad-records.policy", "fail");
    source.settings.put("dedup.duplicates", "skip");
    JobRunner.Result failed = source.run();
    assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
    assertThat(failed.stderr)
        .contains("bln_chg_key=\"" + original.id + "\" was written in batch 1 with other values")
        .doesNotContain("\tat ");
    source.assertEveryMessageOnce();
  }

  @Test
  void twoRunsRacingWithOverlappingKeysWriteEachKeyOnce(LocalStack stack) throws Exception {
    Scenario one = deduplicated(stack, "dedup_race_one", 1);
    String other = "dedup_race_two";
    stack.kafka().createTopic(other, 1);
    Scenario two = Scenario.sameTable(one, other);
    one.produce(5);
    assertThat(one.run().exitCode).isZero();
    // a second source of a table with rows starts only when told to
    List<BalanceChangeMessage> firstOfTwo = BalanceChangeMessage.sample(76, 5);
    two.send(firstOfTwo, 0);
    one.expect(firstOfTwo);
    JobRunner.Result refused = two.run();
    assertThat(refused.exitCode).as(refused.toString()).isEqualTo(IngestJob.EXIT_BAD_CONFIG);
    Matcher accept = Pattern.compile("table.accept-new-source=(\\d+)").matcher(refused.stderr);
    assertThat(accept.find()).as(refused.stderr).isTrue();
    two.settings.put("table.accept-new-source", accept.group(1));
    assertThat(two.run().exitCode).isZero();

    List<BalanceChangeMessage> shared = one.produce(10);
    one.produce(5);
    two.send(shared, 0);
    List<BalanceChangeMessage> ownOfTwo = BalanceChangeMessage.sample(77, 5);
    two.send(ownOfTwo, 0);
    one.expect(ownOfTwo);
    Path barrier = one.workDir.resolve("barrier");
    List<String> jvm = Scenario.failpoint(Failpoints.BEFORE_COMMIT + ":await=" + barrier);

    JobRunner.Running first = JobRunner.start(one.workDir, one.settings, jvm);
    JobRunner.Running second = JobRunner.start(one.workDir, two.settings, jvm);
    BatchesITCase.awaitArrivals(barrier, List.of(first, second));
    Files.createFile(barrier.resolve("go"));
    List<JobRunner.Result> results = List.of(first.await(), second.await());

    assertThat(results).extracting(r -> r.exitCode).as(results.toString()).contains(0, 1);
    JobRunner.Result loser = results.get(0).exitCode == 0 ? results.get(1) : results.get(0);
    assertThat(loser.stderr)
        .contains("after this run read its business keys")
        .contains("nothing of it is committed")
        .doesNotContain("\tat ");
    Scenario rerun = results.get(0).exitCode == 0 ? two : one;
    JobRunner.Result retried = rerun.run();
    assertThat(retried.exitCode).as(retried.toString()).isZero();
    assertThat(retried.stdout).contains("15 read, 5 written, 0 rejected, 10 duplicates");
    one.assertMessageIdsOnce();
  }

  @Test
  void rowsRolledBackAreNoLongerWrittenAndARerunWritesTheirKeys(LocalStack stack) throws Exception {
    Scenario source = deduplicated(stack, "dedup_rollback", 1);
    List<BalanceChangeMessage> first = source.produce(10);
    assertThat(source.run().exitCode).isZero();
    long afterFirst = source.table().currentSnapshot().snapshotId();
    source.produce(10);
    assertThat(source.run().exitCode).isZero();
    source.table().manageSnapshots().rollbackTo(afterFirst).commit();
    source.send(first.subList(0, 2), 0);

    JobRunner.Result rerun = source.run();

    assertThat(rerun.exitCode).as(rerun.toString()).isZero();
    assertThat(rerun.stdout)
        .contains("The table was rolled back")
        .contains("12 read, 10 written, 0 rejected, 2 duplicates");
    source.assertEveryMessageOnce();
  }

  /** The messages moved to days {@code from} to {@code to} of March 2023, round robin, in UTC. */
  private static List<BalanceChangeMessage> onDays(
      List<BalanceChangeMessage> messages, int from, int to) {
    List<BalanceChangeMessage> moved = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      int day = from + i % (to - from + 1);
      moved.add(
          messages
              .get(i)
              .withTimestamp(
                  String.format(Locale.ROOT, "2023-03-%02dT10:%02d:00.123Z", day, i % 60)));
    }
    return moved;
  }
}
