package io.github.ingest.job;

import io.github.ingest.core.batch.BadRecordPolicy;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.batch.BatchState;
import io.github.ingest.core.fault.Failpoints;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.iceberg.batch.BatchHistory;
import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.iceberg.deadletter.DeadLetterTables;
import io.github.ingest.iceberg.sink.IcebergBatchSink;
import io.github.ingest.iceberg.table.IncompatibleTableException;
import io.github.ingest.iceberg.table.Tables;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.kafka.mapping.MappingOperator;
import io.github.ingest.kafka.source.BoundedKafkaSources;
import io.github.ingest.kafka.source.LostOffsetsException;
import io.github.ingest.kafka.source.OffsetPlan;
import io.github.ingest.kafka.source.OffsetPlanner;
import io.github.ingest.kafka.source.OffsetRange;
import io.github.ingest.kafka.source.SourceKey;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.JobType;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.ShutdownHookUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.types.Types;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of the job: plan a batch, read, map, write and commit it, and report. */
final class BatchRun {

  private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

  private final JobConf conf;
  private final Mapping mapping;
  private final Clock clock;
  private final PrintStream out;

  BatchRun(JobConf conf, Mapping mapping, Clock clock, PrintStream out) {
    this.conf = conf;
    this.mapping = mapping;
    this.clock = clock;
    this.out = out;
  }

  static BatchRun of(JobConf conf, PrintStream out) {
    return new BatchRun(conf, conf.mapping(), Clock.systemUTC(), out);
  }

  /** What a run did. */
  enum Outcome {
    COMMITTED,
    NOTHING_NEW,
    PLANNED
  }

  Outcome run() throws Exception {
    long started = System.nanoTime();
    String source = SourceKey.of(conf.bootstrapServers(), conf.topic(), conf.groupId());
    CatalogLoader catalogLoader =
        setUp("the catalog", () -> Catalogs.loader(conf.catalogName(), conf.catalogProperties()));
    Catalog catalog = setUp("the catalog", catalogLoader::loadCatalog);
    Optional<Table> table =
        setUp(
            "the catalog or its warehouse",
            () ->
                conf.planOnly() && !catalog.tableExists(conf.table())
                    ? Optional.<Table>empty()
                    : Optional.of(Tables.loadOrCreate(catalog, conf.table(), mapping)));
    Optional<Table> deadLetters =
        setUp(
            "the catalog or its warehouse",
            () -> deadLetterTable(catalog, table.isPresent() && !conf.planOnly()));
    if (table.isPresent() && deadLetters.isPresent() && !conf.planOnly()) {
      DeadLetterTables.catchUp(table.get(), deadLetters.get(), source);
    }
    // rows are built in the table's column order, which evolution may have made differ
    Mapping rowMapping =
        table
            .map(
                t ->
                    mapping.reorderedAs(
                        t.schema().columns().stream()
                            .map(Types.NestedField::name)
                            .collect(Collectors.toList())))
            .orElse(mapping);
    Optional<BatchState> last = table.flatMap(t -> BatchHistory.latest(t, source));
    long number = last.map(state -> state.number() + 1).orElse(1L);

    try (OffsetPlanner planner =
        setUp("Kafka", () -> OffsetPlanner.create(conf.kafkaProperties(), conf.kafkaTimeout()))) {
      OffsetPlan plan =
          setUp(
              "Kafka",
              () ->
                  planner.plan(
                      conf.topic(), last.map(BatchState::stopOffsets), conf.planOptions()));
      OffsetPlan toRead = setUp("Kafka", () -> planner.visible(plan));
      LOG.info("Planned batch {} of {}: {}; to read: {}", number, source, plan, toRead);
      if (conf.planOnly()) {
        printPlan(source, number, last, plan, toRead);
        return Outcome.PLANNED;
      }
      if (toRead.isEmpty()) {
        out.printf(
            "Nothing new on topic %s since %s: nothing committed.%n",
            conf.topic(), last.map(state -> "batch " + state.number()).orElse("the start"));
        // a run that died after its table commit left the group behind: catch it up
        last.ifPresent(state -> commitGroupOffsets(planner, state));
        return Outcome.NOTHING_NEW;
      }

      BatchMetadata batch =
          BatchMetadata.builder()
              .number(number)
              .start(clock.instant())
              .sourceEndpoint(conf.bootstrapServers())
              .clientId(conf.clientId())
              .sourceName(conf.sourceName())
              .build();
      BatchState planned =
          BatchState.of(source, batch, plan.starts(), plan.stops(), 0, 0, 0)
              .withLostFrom(plan.lostFrom());
      JobResult result =
          execute(catalogLoader, table.get(), deadLetters, rowMapping, batch, planned, toRead);
      Failpoints.reach(Failpoints.AFTER_COMMIT);

      table.get().refresh();
      BatchState committed =
          BatchHistory.latest(table.get(), source).orElseThrow(IllegalStateException::new);
      report(committed, plan, table.get().currentSnapshot(), System.nanoTime() - started);
      out.printf("  flink:   job %s, runtime mode %s%n", result.jobId, result.mode);
      commitGroupOffsets(planner, committed);
      return Outcome.COMMITTED;
    }
  }

  /**
   * The dead-letter table: created when the policy stores dead letters and {@code create}, loaded
   * when it exists, so dead letters of an earlier batch can still be caught up.
   */
  private Optional<Table> deadLetterTable(Catalog catalog, boolean create) {
    boolean store = conf.badRecordPolicy().action() == BadRecordPolicy.Action.DEAD_LETTER;
    if (store && create) {
      return Optional.of(DeadLetterTables.loadOrCreate(catalog, conf.deadLetterTable()));
    }
    return catalog.tableExists(conf.deadLetterTable())
        ? Optional.of(catalog.loadTable(conf.deadLetterTable()))
        : Optional.empty();
  }

  /** The exception's message, and its root cause's if that says more. */
  private static String describe(Throwable error) {
    String outer = error.getMessage() == null ? error.toString() : error.getMessage();
    String root = IngestJob.reason(error);
    return outer.contains(root) ? outer : outer + " (" + root + ")";
  }

  /**
   * Runs a step before any work: a bad setting, an unknown topic or an incompatible table is a
   * {@link StartException} with exit code 2, any other failure one with exit code 3 saying which
   * service could not be reached.
   */
  private static <T> T setUp(String service, Callable<T> step) throws Exception {
    try {
      return step.call();
    } catch (LostOffsetsException e) {
      throw e;
    } catch (IllegalArgumentException | IncompatibleTableException e) {
      throw new StartException(IngestJob.EXIT_BAD_CONFIG, e.getMessage(), e);
    } catch (RuntimeException e) {
      Throwable refused =
          IngestJob.cause(e, AuthenticationException.class, AuthorizationException.class);
      if (refused != null) {
        throw new StartException(
            IngestJob.EXIT_BAD_CONFIG,
            service
                + " refused the job: "
                + refused.getMessage()
                + " (see kafka.properties.security.protocol, sasl.mechanism and"
                + " sasl.jaas.config)",
            e);
      }
      throw new StartException(
          IngestJob.EXIT_UNREACHABLE, "Cannot reach " + service + ": " + describe(e), e);
    }
  }

  /** Runs the Flink job; if it failed after all in committing this very batch, that is success. */
  private JobResult execute(
      CatalogLoader catalogLoader,
      Table table,
      Optional<Table> deadLetters,
      Mapping rowMapping,
      BatchMetadata batch,
      BatchState planned,
      OffsetPlan toRead)
      throws Exception {
    StreamExecutionEnvironment env = environment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    // operators never keep or change a record they passed on: no copies between them
    env.getConfig().enableObjectReuse();
    // set on each operator: the adaptive batch scheduler overrides a parallelism left at default
    int parallelism = parallelism(toRead, env);
    BadRecordPolicy policy = conf.badRecordPolicy();
    SingleOutputStreamOperator<RowData> rows =
        env.fromSource(
                BoundedKafkaSources.of(toRead, conf.kafkaProperties(), conf.clientId()),
                WatermarkStrategy.noWatermarks(),
                "read " + conf.topic())
            .uid("kafka-source")
            .setParallelism(parallelism)
            .transform(
                "map " + rowMapping.name(),
                TypeInformation.of(RowData.class),
                new MappingOperator(
                    rowMapping, batch, conf.groupId(), policy.action(), conf.kafkaTimeout()))
            .uid("mapping")
            .setParallelism(parallelism);
    IcebergBatchSink sink =
        IcebergBatchSink.builder(rows, table, TableLoader.fromCatalog(catalogLoader, conf.table()))
            .batch(planned)
            .counts(rows.getSideOutput(MappingOperator.COUNTS))
            .policy(policy);
    if (policy.action() == BadRecordPolicy.Action.DEAD_LETTER) {
      sink.deadLetters(
          rows.getSideOutput(MappingOperator.DEAD_LETTERS),
          deadLetters.get(),
          TableLoader.fromCatalog(catalogLoader, conf.deadLetterTable()));
    }
    sink.append();
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(
        "ingest " + conf.topic() + " batch " + planned.number() + " into " + conf.table());
    JobType mode = graph.getJobType();
    try {
      return new JobResult(await(env, graph, toRead.size()), mode);
    } catch (Exception e) {
      table.refresh();
      Optional<BatchState> newest = BatchHistory.latest(table, planned.source());
      if (newest.isPresent() && newest.get().runId().equals(planned.runId())) {
        LOG.warn("The job failed after committing batch {}: the batch stands", planned, e);
        return new JobResult("(failed after its commit)", mode);
      }
      if (newest.isPresent() && newest.get().number() >= planned.number()) {
        throw new BatchConflictException(
            String.format(
                "Batch %d of %s was committed by another run (%s) while this one ran; this"
                    + " run's files were deleted and nothing of it was committed",
                planned.number(), planned.source(), newest.get().runId()),
            e);
      }
      throw e;
    }
  }

  /**
   * Flink's environment: the cluster's when {@code flink run} started the job, else an embedded
   * MiniCluster whose tasks report their counts often enough for the progress line.
   */
  private StreamExecutionEnvironment environment() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    if (onCluster(env)) {
      return env;
    }
    Configuration config = new Configuration();
    long interval = conf.progressInterval().toMillis();
    if (interval > 0) {
      config.set(
          HeartbeatManagerOptions.HEARTBEAT_INTERVAL,
          Math.max(
              500L, Math.min(interval, HeartbeatManagerOptions.HEARTBEAT_INTERVAL.defaultValue())));
    }
    return StreamExecutionEnvironment.getExecutionEnvironment(config);
  }

  /** Whether Flink's client ({@code flink run}) invoked the job, rather than {@code java}. */
  static boolean onCluster(StreamExecutionEnvironment env) {
    return env instanceof StreamContextEnvironment;
  }

  /**
   * Submits the job and waits for it, printing the progress line every {@code progress.interval}.
   * On a cluster, a client stopped while it waits cancels the job, as {@code flink run} does for a
   * job it waits for.
   */
  private String await(StreamExecutionEnvironment env, StreamGraph graph, long planned)
      throws Exception {
    long submitted = System.nanoTime();
    JobClient client = env.executeAsync(graph);
    Thread cancel =
        onCluster(env)
            ? ShutdownHookUtil.addShutdownHook(
                () -> client.cancel().get(10, TimeUnit.SECONDS), "cancel " + client.getJobID(), LOG)
            : null;
    try {
      CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
      long interval = conf.progressInterval().toMillis();
      Progress progress = new Progress(out, planned, submitted);
      while (interval > 0) {
        try {
          result.get(interval, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          readSoFar(client).ifPresent(done -> progress.update(done, System.nanoTime()));
        }
      }
      return result.get().getJobID().toString();
    } finally {
      if (cancel != null) {
        ShutdownHookUtil.removeShutdownHook(cancel, "cancel " + client.getJobID(), LOG);
      }
    }
  }

  /** Records the mappers have read, as the job's accumulators last reported them. */
  private static Optional<Long> readSoFar(JobClient client) {
    try {
      Object read =
          client.getAccumulators().get(5, TimeUnit.SECONDS).get(MappingOperator.READ_ACCUMULATOR);
      return read instanceof Long ? Optional.of((Long) read) : Optional.of(0L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("No progress: cannot get the job's accumulators", e);
      return Optional.empty();
    }
  }

  private void commitGroupOffsets(OffsetPlanner planner, BatchState state) {
    if (!conf.commitGroupOffsets()) {
      return;
    }
    try {
      planner.commitGroupOffsets(conf.groupId(), conf.topic(), state.stopOffsets());
    } catch (RuntimeException e) {
      LOG.warn("Cannot commit the offsets of consumer group {}", conf.groupId(), e);
      out.printf(
          "  warning: the batch stands, but consumer group %s still shows the old offsets: %s%n",
          conf.groupId(), e.getMessage());
    }
  }

  private void printPlan(
      String source, long number, Optional<BatchState> last, OffsetPlan plan, OffsetPlan toRead) {
    out.printf("Plan of the next batch of %s into %s (nothing written)%n", source, conf.table());
    out.printf(
        "  batch:   %d, after %s%n",
        number, last.map(state -> "batch " + state.number()).orElse("none (a new source)"));
    for (int i = 0; i < plan.ranges().size(); i++) {
      OffsetRange range = plan.ranges().get(i);
      OffsetRange read = toRead.ranges().get(i);
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
        toRead.isEmpty() ? ": nothing new, a run would commit nothing" : "");
  }

  /** What a finished Flink job reports. */
  private static final class JobResult {
    final String jobId;
    final JobType mode;

    JobResult(String jobId, JobType mode) {
      this.jobId = jobId;
      this.mode = mode;
    }
  }

  /**
   * As set, else one reader and writer a partition, at most the cores here or, on a cluster, the
   * parallelism {@code flink run -p} or the cluster's {@code parallelism.default} gives.
   */
  private int parallelism(OffsetPlan plan, StreamExecutionEnvironment env) {
    if (conf.parallelism() != null) {
      return conf.parallelism();
    }
    int partitions = Math.max(1, plan.nonEmptyRanges().size());
    int available =
        onCluster(env) ? env.getParallelism() : Runtime.getRuntime().availableProcessors();
    return Math.min(partitions, Math.max(1, available));
  }

  private void report(BatchState committed, OffsetPlan plan, Snapshot snapshot, long nanos) {
    Map<String, String> summary = snapshot.summary();
    out.printf(
        "Batch %d of %s committed to %s as snapshot %d%n",
        committed.number(), committed.source(), conf.table(), snapshot.snapshotId());
    out.printf(
        "  records: %d read, %d written, %d rejected%s%n",
        committed.read(),
        committed.written(),
        committed.rejected(),
        committed.rejected() == 0
            ? ""
            : conf.badRecordPolicy().action() == BadRecordPolicy.Action.DEAD_LETTER
                ? " (in table " + conf.deadLetterTable() + ")"
                : " (skipped)");
    out.printf("  offsets: %s%n", plan);
    plan.lostFrom()
        .forEach(
            (partition, from) ->
                out.printf(
                    "  skipped: partition %d offsets [%d, %d), deleted by retention before they"
                        + " were read%n",
                    partition, from, committed.startOffsets().get(partition)));
    out.printf(
        "  files:   %s data files, %s bytes, log file %s%n",
        summary.getOrDefault("added-data-files", "0"),
        summary.getOrDefault("added-files-size", "0"),
        committed.logFileName());
    out.printf(
        Locale.ROOT,
        "  took:    %.1f s, %,d records/s%n",
        nanos / 1e9,
        Math.round(committed.read() / Math.max(1e-3, nanos / 1e9)));
  }
}
