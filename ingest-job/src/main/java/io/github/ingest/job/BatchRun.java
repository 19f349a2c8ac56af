package io.github.ingest.job;

import static io.github.ingest.job.ExitCodes.setUp;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.maintenance.MaintenanceReport;
import io.github.ingest.iceberg.maintenance.RunLease;
import io.github.ingest.iceberg.maintenance.TableMaintenance;
import io.github.ingest.iceberg.sink.Routing;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.job.metrics.CommittedBatch;
import io.github.ingest.job.metrics.Outcome;
import io.github.ingest.job.metrics.RunSummary;
import io.github.ingest.kafka.source.OffsetPlan;
import io.github.ingest.kafka.source.OffsetPlanner;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of the job: prepare a batch, then print its plan, or run, commit and report it. */
final class BatchRun {

  private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

  private final JobConf conf;
  private final Clock clock;
  private final RunReport report;
  private final Submission submission;
  private final RunSummary summary;
  private Map<Integer, Long> committedStops;

  BatchRun(JobConf conf, Clock clock, PrintStream out, RunSummary summary) {
    this.conf = conf;
    this.clock = clock;
    this.report = new RunReport(conf, out);
    this.submission = new Submission(conf, out);
    this.summary = summary;
  }

  /** Runs; what it learns on the way goes into the run's summary, whether it succeeds or not. */
  Outcome run() throws Exception {
    long started = System.nanoTime();
    try (OffsetPlanner planner =
        setUp(
            "Kafka",
            () -> OffsetPlanner.create(conf.kafka().properties(), conf.kafka().timeout()))) {
      PreparedBatch batch =
          PreparedBatch.prepare(
              conf,
              planner,
              () -> {
                if (!conf.planOnly()
                    && planner.groupBehind(conf.kafka().groupId(), conf.kafka().topic())) {
                  // while the run reads the tables and plans: the job finds its cluster started
                  submission.startAhead();
                }
              });
      summary.source(batch.source);
      try {
        return run(planner, batch, started);
      } finally {
        boolean wanted =
            conf.run().pushgatewayUrl().isPresent() || conf.run().summaryJson().isPresent();
        if (wanted && !conf.planOnly()) {
          lag(planner, batch.plan, committedStops != null ? committedStops : batch.plan.starts());
        }
      }
    } finally {
      submission.close();
    }
  }

  private Outcome run(OffsetPlanner planner, PreparedBatch batch, long started) throws Exception {
    if (conf.planOnly()) {
      report.plan(batch);
      return Outcome.PLANNED;
    }
    if (batch.toRead.isEmpty()) {
      report.nothingNew(batch);
      // a run that died after its table commit left the group behind: catch it up
      batch
          .position
          .after()
          .ifPresent(
              state -> {
                summary.batch(state.number());
                commitGroupOffsets(planner, state);
              });
      return Outcome.NOTHING_NEW;
    }
    report.rolledBack(batch);
    BatchMetadata metadata = batch.metadata(conf, clock);
    BatchState planned = batch.planned(conf, metadata);
    Table table = batch.table.get();
    // read here, in the client, and shipped with the job: tasks never read the property
    Failpoints failpoints = Failpoints.fromSystemProperties();
    String jobId;
    JobType mode;
    Routing routing;
    // held from the batch's start on, so maintenance never fences off a run that is alive
    try (RunLease lease = RunLease.hold(table, planned.runId(), planned.started())) {
      StreamExecutionEnvironment env = submission.environment();
      int parallelism = Pipeline.parallelism(conf, batch.toRead, env);
      routing = Routing.choose(conf.run().routing(), table, batch.toRead.size(), parallelism);
      summary.routing(routing.kind().toString(), routing.reason());
      StreamGraph graph =
          Pipeline.assemble(env, conf, batch, metadata, planned, parallelism, routing, failpoints);
      mode = graph.getJobType();
      jobId = execute(env, graph, batch, planned);
    }
    failpoints.reach(Failpoints.AFTER_COMMIT);

    table.refresh();
    Snapshot snapshot =
        BatchLedger.snapshotOf(table, batch.source, planned.runId())
            .orElseThrow(() -> new IllegalStateException("Cannot find the committed snapshot"));
    BatchState committed = StateCodec.fromSummary(snapshot.summary());
    CommittedBatch result =
        CommittedBatch.of(
            committed,
            table,
            snapshot,
            batch.plan.toString(),
            routing.kind() + ", as " + routing.reason(),
            System.nanoTime() - started,
            jobId,
            mode.toString());
    summary.batch(committed.number());
    summary.committed(result);
    committedStops = committed.stopOffsets();
    report.committed(result);
    commitGroupOffsets(planner, committed);
    if (conf.maintenance().afterRun()) {
      compactIfDue(table);
    }
    return Outcome.COMMITTED;
  }

  /**
   * Runs the Flink job and returns its id. If it failed, the table decides: a batch of this run in
   * the table stands (the job failed after its commit); one that another run committed instead is
   * {@link ExitCode#CONFLICT}; else the failure stands.
   */
  private String execute(
      StreamExecutionEnvironment env, StreamGraph graph, PreparedBatch batch, BatchState planned)
      throws Exception {
    try {
      return submission.await(env, graph, batch.toRead.size());
    } catch (Exception e) {
      Table table = batch.table.get();
      table.refresh();
      if (BatchLedger.landed(table, batch.source, planned.runId())) {
        LOG.warn("The job failed after committing {}: the batch stands", planned, e);
        return "(failed after its commit)";
      }
      BatchLedger.Position now = BatchLedger.position(table, batch.source);
      if (ExitCodes.cause(e, ValidationException.class) != null && !now.sameAs(batch.position)) {
        throw new IngestException(
            ExitCode.CONFLICT,
            String.format(
                "Batch %d of %s was committed by another run (%s) while this one ran; nothing of"
                    + " this run was committed",
                planned.number(),
                planned.source(),
                now.last().map(BatchState::runId).orElse("unknown")),
            e);
      }
      throw e;
    }
  }

  /**
   * Compacts the table once one of its partitions holds {@code maintenance.after-run-min-files}
   * small files. The batch stands whatever happens here: a failure is a warning.
   */
  private void compactIfDue(Table table) {
    try {
      int most = TableMaintenance.mostSmallFilesInAPartition(table);
      if (most < conf.maintenance().afterRunMinFiles()) {
        return;
      }
      MaintenanceReport compacted =
          TableMaintenance.of(table, submission::environment).compactOnly();
      report.compacted(compacted);
    } catch (RuntimeException e) {
      LOG.warn("Cannot compact table {} after the batch", table.name(), e);
      report.compactionFailed(e);
    }
  }

  /**
   * Records in the summary how far each partition's end is from {@code tableAt}, where the table
   * now stands; the run's outcome stands whatever happens here.
   */
  private void lag(OffsetPlanner planner, OffsetPlan plan, Map<Integer, Long> tableAt) {
    try {
      Map<Integer, Long> lag = planner.lag(plan, tableAt);
      summary.lag(lag);
    } catch (RuntimeException e) {
      // the run's own outcome says what went wrong; the summary goes without the lag
      LOG.debug("Cannot read the ends of the partitions of topic {} for the lag", plan.topic(), e);
    }
  }

  private void commitGroupOffsets(OffsetPlanner planner, BatchState state) {
    if (!conf.kafka().commitGroupOffsets()) {
      return;
    }
    try {
      planner.kafka().commit(conf.kafka().groupId(), conf.kafka().topic(), state.stopOffsets());
    } catch (RuntimeException e) {
      LOG.warn("Cannot commit the offsets of consumer group {}", conf.kafka().groupId(), e);
      report.groupOffsetsBehind(e);
    }
  }
}
