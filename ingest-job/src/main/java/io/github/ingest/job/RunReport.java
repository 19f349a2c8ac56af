package io.github.ingest.job;

import io.github.ingest.batch.BatchState;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.TombstonePolicy;
import io.github.ingest.iceberg.dedup.Deduplication;
import io.github.ingest.iceberg.maintenance.MaintenanceReport;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.job.metrics.CommittedBatch;
import io.github.ingest.kafka.source.OffsetPlan;
import io.github.ingest.kafka.source.OffsetRange;
import java.io.PrintStream;
import java.util.Locale;

/** What a run prints on standard output: the plan, nothing new, or the committed batch. */
final class RunReport {

  private final JobConf conf;
  private final PrintStream out;

  RunReport(JobConf conf, PrintStream out) {
    this.conf = conf;
    this.out = out;
  }

  void plan(PreparedBatch batch) {
    OffsetPlan plan = batch.plan;
    out.printf(
        "Plan of the next batch of %s into %s (nothing written)%n",
        batch.source, conf.tables().table());
    out.printf("  batch:   %d, %s%n", batch.number(), after(batch));
    for (int i = 0; i < plan.ranges().size(); i++) {
      OffsetRange range = plan.ranges().get(i);
      OffsetRange read = batch.toRead.ranges().get(i);
      out.printf(
          "  partition %d: [%d, %d) %d offsets%s%s%n",
          range.partition(),
          range.start(),
          range.stop(),
          range.size(),
          read.stop() < range.stop()
              ? String.format(", records up to offset %d", read.stop() - 1)
              : "",
          plan.lostFrom().containsKey(range.partition())
              ? String.format(
                  ", offsets [%d, %d) lost to retention are skipped",
                  plan.lostFrom().get(range.partition()), range.start())
              : "");
    }
    out.printf(
        "  total:   %d offsets in %d partitions%s%n",
        plan.size(),
        plan.nonEmptyRanges().size(),
        batch.toRead.isEmpty() ? ": nothing new, a run would commit nothing" : "");
  }

  /** What the batch continues after, for the plan. */
  private static String after(PreparedBatch batch) {
    if (batch.position.last().isEmpty()) {
      return "after none (a new source)";
    }
    if (!batch.position.rolledBack()) {
      return "after batch " + batch.position.last().get().number();
    }
    return batch.position.after().map(b -> "after batch " + b.number()).orElse("from the start")
        + " (the table was rolled back from batch "
        + batch.position.last().get().number()
        + ")";
  }

  void rolledBack(PreparedBatch batch) {
    if (batch.position.rolledBack()) {
      out.printf(
          "The table was rolled back: its newest batch of this source was %d, its history now"
              + " ends %s; batch %d reads from there again%n",
          batch.position.last().get().number(),
          batch.position.after().map(b -> "at batch " + b.number()).orElse("before any batch"),
          batch.number());
    }
  }

  void nothingNew(PreparedBatch batch) {
    out.printf(
        "Nothing new on topic %s since %s: nothing committed.%n",
        conf.kafka().topic(),
        batch.position.after().map(state -> "batch " + state.number()).orElse("the start"));
  }

  void groupOffsetsBehind(Exception e) {
    out.printf(
        "  warning: the batch stands, but consumer group %s still shows the old offsets: %s%n",
        conf.kafka().groupId(), e.getMessage());
  }

  void compacted(MaintenanceReport compacted) {
    compacted.lines().stream().filter(line -> line.startsWith("  compact:")).forEach(out::println);
  }

  void compactionFailed(RuntimeException e) {
    out.printf(
        "  warning: the batch stands, but compacting the table failed: %s%n", e.getMessage());
  }

  void committed(CommittedBatch batch) {
    BatchState committed = batch.state();
    out.printf(
        "Batch %d of %s committed to %s as snapshot %d%n",
        committed.number(), committed.source(), conf.tables().table(), batch.snapshotId());
    out.printf(
        "  records: %d read, %d written, %d rejected%s%s%s%n",
        committed.read(),
        committed.written(),
        committed.rejected(),
        committed.rejected() == 0
            ? ""
            : conf.badRecords().policy().action() == BadRecordPolicy.Action.DEAD_LETTER
                ? " (in table " + conf.badRecords().deadLetterTable() + ")"
                : " (skipped)",
        committed.tombstones() == 0
            ? ""
            : String.format(
                ", %d tombstones %s",
                committed.tombstones(),
                conf.badRecords().tombstonePolicy() == TombstonePolicy.DEAD_LETTER
                    ? "in table " + conf.badRecords().deadLetterTable()
                    : "skipped"),
        committed.duplicates() == 0
            ? ""
            : String.format(
                ", %d duplicates %s",
                committed.duplicates(),
                conf.dedup().duplicates() == Deduplication.Action.DEAD_LETTER
                    ? "in table " + conf.badRecords().deadLetterTable()
                    : "skipped"));
    out.printf("  offsets: %s%n", batch.offsets());
    committed
        .lostFrom()
        .forEach(
            (partition, from) ->
                out.printf(
                    "  skipped: partition %d offsets [%d, %d), deleted by retention before they"
                        + " were read%n",
                    partition, from, committed.startOffsets().get(partition)));
    out.printf(
        "  files:   %d data files in %d partitions (at most %d in one), %d bytes, log file %s%n",
        batch.dataFiles(),
        batch.partitions(),
        batch.mostFilesInAPartition(),
        batch.bytes(),
        committed.logFileName());
    out.printf("  routing: %s%n", batch.routing());
    out.printf(
        Locale.ROOT,
        "  took:    %.1f s, %,d records/s%n",
        batch.nanos() / 1e9,
        Math.round(committed.read() / Math.max(1e-3, batch.nanos() / 1e9)));
    out.printf("  flink:   job %s, runtime mode %s%n", batch.jobId(), batch.mode());
  }
}
