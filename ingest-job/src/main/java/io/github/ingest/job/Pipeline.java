package io.github.ingest.job;

import io.github.ingest.batch.BatchState;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.RecordCounts;
import io.github.ingest.iceberg.dedup.DedupOperator;
import io.github.ingest.iceberg.dedup.Deduplication;
import io.github.ingest.iceberg.dedup.KeyRouting;
import io.github.ingest.iceberg.sink.IcebergBatchSink;
import io.github.ingest.iceberg.sink.Routing;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.kafka.mapping.DeadLetterRows;
import io.github.ingest.kafka.mapping.MappingOperator;
import io.github.ingest.kafka.source.BoundedKafkaSources;
import io.github.ingest.kafka.source.OffsetPlan;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.time.Time;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.transformations.StreamExchangeMode;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;

/**
 * The Flink job of one batch: a bounded Kafka source, the mapping, parallel writers and one
 * committer. Assembling it reads and writes nothing.
 */
final class Pipeline {

  private Pipeline() {}

  /** The job that reads {@code batch.toRead} and commits it as {@code planned}. */
  static StreamGraph assemble(
      StreamExecutionEnvironment env,
      JobConf conf,
      PreparedBatch batch,
      BatchMetadata metadata,
      BatchState planned,
      int parallelism,
      Routing routing,
      Failpoints failpoints) {
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    // pinned, so a cluster's restart strategy does not decide it; restarts are safe because a
    // committer that runs again finds its batch committed and commits nothing
    env.setRestartStrategy(
        conf.run().restartAttempts() == 0
            ? RestartStrategies.noRestart()
            : RestartStrategies.fixedDelayRestart(conf.run().restartAttempts(), Time.seconds(10)));
    // operators never keep or change a record they passed on: no copies between them
    env.getConfig().enableObjectReuse();
    BadRecordPolicy policy = conf.badRecords().policy();
    Table table = batch.table.get();
    Deduplication dedup = batch.dedup;
    MappingOperator mapping =
        new MappingOperator(
            batch.rowMapping,
            metadata,
            conf.kafka().groupId(),
            policy.action(),
            conf.badRecords().tombstonePolicy(),
            conf.kafka().timeout(),
            failpoints);
    SingleOutputStreamOperator<RowData> mapped =
        env.fromSource(
                BoundedKafkaSources.of(
                    batch.toRead, conf.kafka().properties(), conf.kafka().clientId()),
                WatermarkStrategy.noWatermarks(),
                "read " + conf.kafka().topic())
            .uid("kafka-source")
            .setParallelism(parallelism)
            .transform(
                "map " + batch.rowMapping.name(),
                InternalTypeInfo.of(
                    dedup == null
                        ? FlinkSchemaUtil.convert(table.schema())
                        : KeyRouting.inputType(table)),
                dedup == null ? mapping : mapping.withCoordinates())
            .uid("mapping")
            .setParallelism(parallelism);
    StreamExchangeMode exchange =
        Submission.pipelined(env)
            ? StreamExchangeMode.PIPELINED
            : IcebergBatchSink.DEFAULT_EXCHANGE;
    DataStream<RowData> rows = mapped;
    DataStream<RecordCounts> counts = mapped.getSideOutput(MappingOperator.COUNTS);
    DataStream<RowData> deadLetters = mapped.getSideOutput(MappingOperator.DEAD_LETTERS);
    Long keysReadAt = null;
    if (dedup != null) {
      keysReadAt = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
      DeadLetterRows letters = new DeadLetterRows(metadata, conf.kafka().groupId());
      String topic = conf.kafka().topic();
      SingleOutputStreamOperator<RowData> deduplicated =
          KeyRouting.deduplicated(
              mapped,
              new DedupOperator(
                  TableLoader.fromCatalog(batch.catalogLoader, conf.tables().table()),
                  table,
                  keysReadAt,
                  dedup,
                  policy.action(),
                  (partition, offset, timestamp, kind, message) ->
                      letters.row(topic, partition, offset, timestamp, kind, message)),
              table,
              dedup,
              parallelism,
              exchange);
      rows = deduplicated;
      counts = counts.union(deduplicated.getSideOutput(DedupOperator.COUNTS));
      deadLetters = deadLetters.union(deduplicated.getSideOutput(DedupOperator.DEAD_LETTERS));
    }
    IcebergBatchSink sink =
        IcebergBatchSink.builder(
                rows, table, TableLoader.fromCatalog(batch.catalogLoader, conf.tables().table()))
            .batch(planned, batch.position)
            .routing(routing)
            .counts(counts)
            .policy(policy)
            .failpoints(failpoints)
            .exchange(exchange);
    if (dedup != null) {
      sink.keysReadAt(keysReadAt);
    }
    if (policy.action() == BadRecordPolicy.Action.DEAD_LETTER) {
      sink.deadLetters(
          deadLetters,
          batch.deadLetters.get(),
          TableLoader.fromCatalog(batch.catalogLoader, conf.badRecords().deadLetterTable()));
    }
    sink.append();
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(
        "ingest "
            + conf.kafka().topic()
            + " batch "
            + planned.number()
            + " into "
            + conf.tables().table());
    return graph;
  }

  /**
   * The readers and writers of the job, set on each operator (the adaptive batch scheduler
   * overrides a parallelism left at default): as set, else one reader and writer a partition, at
   * most the cores here or, on a cluster, the parallelism {@code flink run -p} or the cluster's
   * {@code parallelism.default} gives.
   */
  static int parallelism(JobConf conf, OffsetPlan plan, StreamExecutionEnvironment env) {
    if (conf.run().parallelism() != null) {
      return conf.run().parallelism();
    }
    int partitions = Math.max(1, plan.nonEmptyRanges().size());
    int available =
        Submission.onCluster(env)
            ? env.getParallelism()
            : Runtime.getRuntime().availableProcessors();
    return Math.min(partitions, Math.max(1, available));
  }
}
