package io.github.ingest.job;

import io.github.ingest.core.balance.BalanceChanges;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.batch.BatchState;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.iceberg.batch.BatchHistory;
import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.iceberg.sink.IcebergBatchSink;
import io.github.ingest.iceberg.table.Tables;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.kafka.mapping.MappingFunction;
import io.github.ingest.kafka.source.BoundedKafkaSources;
import io.github.ingest.kafka.source.OffsetPlan;
import io.github.ingest.kafka.source.OffsetPlanner;
import io.github.ingest.kafka.source.OffsetRange;
import io.github.ingest.kafka.source.SourceKey;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.jobgraph.JobType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
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
    return new BatchRun(conf, BalanceChanges.mapping(), Clock.systemUTC(), out);
  }

  void run() throws Exception {
    long started = System.nanoTime();
    String source = SourceKey.of(conf.bootstrapServers(), conf.topic(), conf.groupId());
    CatalogLoader catalogLoader = Catalogs.loader(conf.catalogName(), conf.catalogProperties());
    Catalog catalog = catalogLoader.loadCatalog();
    Table table = Tables.loadOrCreate(catalog, conf.table(), mapping);
    Optional<BatchState> last = BatchHistory.latest(table, source);
    OffsetPlan plan = plan(last);
    long number = last.map(state -> state.number() + 1).orElse(1L);
    LOG.info("Planned batch {} of {}: {} offsets, {}", number, source, plan.size(), plan);
    if (plan.isEmpty()) {
      out.printf(
          "Nothing new on topic %s since %s: nothing committed.%n",
          conf.topic(), last.map(state -> "batch " + state.number()).orElse("the start"));
      return;
    }

    BatchMetadata batch =
        BatchMetadata.builder()
            .number(number)
            .start(clock.instant())
            .sourceEndpoint(conf.bootstrapServers())
            .clientId(conf.clientId())
            .sourceName(conf.sourceName())
            .build();
    BatchState planned = BatchState.of(source, batch, starts(plan), stops(plan), 0, 0, 0);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    // operators never keep or change a record they passed on: no copies between them
    env.getConfig().enableObjectReuse();
    // set on each operator: the adaptive batch scheduler overrides a parallelism left at default
    int parallelism = parallelism(plan);
    DataStream<RowData> rows =
        env.fromSource(
                BoundedKafkaSources.of(plan, conf.kafkaProperties(), conf.clientId()),
                WatermarkStrategy.noWatermarks(),
                "read " + conf.topic())
            .uid("kafka-source")
            .setParallelism(parallelism)
            .process(new MappingFunction(mapping, batch), TypeInformation.of(RowData.class))
            .name("map " + mapping.name())
            .uid("mapping")
            .setParallelism(parallelism);
    IcebergBatchSink.builder(rows, table, TableLoader.fromCatalog(catalogLoader, conf.table()))
        .batch(planned)
        .append();
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName("ingest " + conf.topic() + " batch " + number + " into " + conf.table());
    JobType mode = graph.getJobType();
    JobExecutionResult result = env.execute(graph);

    table.refresh();
    Snapshot snapshot = table.currentSnapshot();
    BatchState committed =
        BatchHistory.latest(table, source).orElseThrow(IllegalStateException::new);
    Long read = result.getAccumulatorResult(MappingFunction.RECORDS_READ);
    report(committed, plan, snapshot, read == null ? 0 : read, System.nanoTime() - started);
    out.printf("  flink:   job %s, runtime mode %s%n", result.getJobID(), mode);
  }

  private OffsetPlan plan(Optional<BatchState> last) {
    try (OffsetPlanner planner =
        OffsetPlanner.create(conf.kafkaProperties(), conf.kafkaTimeout())) {
      if (!last.isPresent()) {
        return planner.fromEarliest(conf.topic());
      }
      List<TopicPartition> partitions = planner.partitions(conf.topic());
      Map<TopicPartition, Long> earliest = planner.listOffsets(partitions, OffsetSpec.earliest());
      Map<TopicPartition, Long> end = planner.listOffsets(partitions, OffsetSpec.latest());
      Map<Integer, Long> previous = last.get().stopOffsets();
      List<OffsetRange> ranges = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        long start = previous.getOrDefault(partition.partition(), earliest.get(partition));
        ranges.add(OffsetRange.of(partition.partition(), start, end.get(partition)));
      }
      return OffsetPlan.of(conf.topic(), ranges);
    }
  }

  private int parallelism(OffsetPlan plan) {
    if (conf.parallelism() != null) {
      return conf.parallelism();
    }
    int partitions = Math.max(1, plan.nonEmptyRanges().size());
    return Math.min(partitions, Runtime.getRuntime().availableProcessors());
  }

  private static Map<Integer, Long> starts(OffsetPlan plan) {
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    plan.ranges().forEach(range -> offsets.put(range.partition(), range.start()));
    return offsets;
  }

  private static Map<Integer, Long> stops(OffsetPlan plan) {
    Map<Integer, Long> offsets = new LinkedHashMap<>();
    plan.ranges().forEach(range -> offsets.put(range.partition(), range.stop()));
    return offsets;
  }

  private void report(
      BatchState committed, OffsetPlan plan, Snapshot snapshot, long read, long nanos) {
    Map<String, String> summary = snapshot.summary();
    out.printf(
        "Batch %d of %s committed to %s as snapshot %d%n",
        committed.number(), committed.source(), conf.table(), snapshot.snapshotId());
    out.printf(
        "  records: %d read, %d written, %d rejected%n",
        read, committed.written(), committed.rejected());
    out.printf("  offsets: %s%n", plan);
    out.printf(
        "  files:   %s data files, %s bytes, log file %s%n",
        summary.getOrDefault("added-data-files", "0"),
        summary.getOrDefault("added-files-size", "0"),
        committed.logFileName());
    out.printf("  took:    %.1f s%n", nanos / 1e9);
  }
}
