package io.github.ingest.job;

import static io.github.ingest.job.ExitCodes.setUp;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.SourceKey;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.iceberg.batch.BatchFormat;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.iceberg.deadletter.DeadLetterTables;
import io.github.ingest.iceberg.dedup.Deduplication;
import io.github.ingest.iceberg.table.Tables;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.kafka.source.KafkaOffsets;
import io.github.ingest.kafka.source.OffsetPlan;
import io.github.ingest.kafka.source.OffsetPlanner;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch ready to run or to print: its source, where the table says it starts, its number, the
 * offsets to read, the tables and the mapping in the table's column order. Preparing it writes
 * nothing but what a run needs before reading (the tables, and dead letters a dead run left
 * behind); for {@code plan}, nothing at all.
 */
final class PreparedBatch {

  private static final Logger LOG = LoggerFactory.getLogger(PreparedBatch.class);

  final String source;
  final BatchLedger.Position position;
  final OffsetPlan plan;
  final OffsetPlan toRead;
  final CatalogLoader catalogLoader;
  final Optional<Table> table;
  final Optional<Table> deadLetters;
  final Mapping rowMapping;

  /** Deduplication by business key, or null for none. */
  final Deduplication dedup;

  private PreparedBatch(
      String source,
      BatchLedger.Position position,
      OffsetPlan plan,
      OffsetPlan toRead,
      CatalogLoader catalogLoader,
      Optional<Table> table,
      Optional<Table> deadLetters,
      Mapping rowMapping,
      Deduplication dedup) {
    this.source = source;
    this.position = position;
    this.plan = plan;
    this.toRead = toRead;
    this.catalogLoader = catalogLoader;
    this.table = table;
    this.deadLetters = deadLetters;
    this.rowMapping = rowMapping;
    this.dedup = dedup;
  }

  /**
   * Prepares the batch; {@code kafkaReached} runs once Kafka answered for the topic, before the
   * catalog is read. The order of the steps matters, each where it is commented: Kafka before any
   * table exists; the format check before anything reads the state; the dead-letter catch-up before
   * the position; the new-source check and the dead-letter rollback after it; planning last.
   */
  static PreparedBatch prepare(JobConf conf, OffsetPlanner planner, Runnable kafkaReached) {
    boolean write = !conf.planOnly();
    String clusterId = setUp("Kafka", () -> planner.kafka().clusterId());
    // a topic that is not there stops the run before any table is created
    KafkaOffsets.Topic topic = setUp("Kafka", () -> planner.kafka().describe(conf.kafka().topic()));
    kafkaReached.run();
    String source =
        SourceKey.of(
            clusterId,
            conf.kafka().bootstrapServers(),
            conf.kafka().topic(),
            conf.kafka().groupId());
    CatalogLoader catalogLoader =
        setUp(
            "the catalog",
            () -> Catalogs.loader(conf.tables().catalogName(), conf.tables().catalogProperties()));
    Catalog catalog = setUp("the catalog", catalogLoader::loadCatalog);
    Mapping mapping = conf.tables().mapping();
    Optional<Table> table =
        setUp(
            "the catalog or its warehouse",
            () ->
                !write && !catalog.tableExists(conf.tables().table())
                    ? Optional.<Table>empty()
                    : Optional.of(Tables.loadOrCreate(catalog, conf.tables().table(), mapping)));
    Optional<Table> deadLetters =
        setUp(
            "the catalog or its warehouse",
            () -> deadLetterTable(conf, catalog, table.isPresent() && write));
    // before anything reads the state: a newer release's format is never misread
    table.ifPresent(t -> BatchFormat.check(t, ((HasTableOperations) t).operations().current()));
    // before anything is written or read: a business key that does not fit the table stops the run
    Deduplication dedup = table.map(t -> deduplication(conf, mapping, t)).orElse(null);
    if (write && deadLetters.isPresent()) {
      // before the position: a run that died between its two commits left the target table
      // ahead, and this run's batch must not start before that batch's dead letters are in
      setUp(
          "the catalog or its warehouse",
          () -> {
            DeadLetterTables.catchUp(
                table.get(), deadLetters.get(), source, conf.badRecords().abandonedRun());
            return null;
          });
    }
    BatchLedger.Position position =
        table.map(t -> BatchLedger.position(t, source)).orElse(BatchLedger.newSource());
    if (position.last().isEmpty() && table.isPresent()) {
      // after the catch-up, which reads the state, and before planning, which would start afresh
      BatchLedger.checkNewSource(table.get(), source, conf.tables().acceptedNewSource());
    }
    if (write && position.rolledBack() && deadLetters.isPresent()) {
      // after the position, which says which batches a rollback undid: their dead letters go,
      // as their records are read again under new numbers
      long kept = position.after().map(BatchState::number).orElse(0L);
      setUp(
          "the catalog or its warehouse",
          () -> DeadLetterTables.rollBack(deadLetters.get(), source, kept));
    }
    // last: the plan starts where the position, after all the above, says
    OffsetPlan plan =
        setUp(
            "Kafka",
            () ->
                planner.plan(
                    topic,
                    position.startOffsets(),
                    position.topicId(),
                    conf.dedup().capped(conf.kafka().planOptions(), topic.partitions())));
    OffsetPlan toRead = setUp("Kafka", () -> planner.visible(plan));
    LOG.info(
        "Planned batch {} of {} {}: {}; to read: {}",
        position.nextNumber(),
        source,
        position,
        plan,
        toRead);
    return new PreparedBatch(
        source,
        position,
        plan,
        toRead,
        catalogLoader,
        table,
        deadLetters,
        inColumnOrder(mapping, table),
        dedup);
  }

  /** The deduplication the settings ask of {@code table}, or null for none. */
  private static Deduplication deduplication(JobConf conf, Mapping mapping, Table table) {
    if (!conf.dedup().enabled()) {
      return null;
    }
    try {
      return Deduplication.of(
          mapping,
          table,
          conf.dedup().keyColumns(),
          conf.dedup().window(),
          conf.dedup().duplicates());
    } catch (IllegalArgumentException e) {
      throw new IngestException(ExitCode.BAD_CONFIG, e.getMessage(), e);
    }
  }

  /** The batch number: one more than the newest ever committed for the source. */
  long number() {
    return position.nextNumber();
  }

  /** What every row of the batch records about its run, which starts at {@code clock}'s now. */
  BatchMetadata metadata(JobConf conf, Clock clock) {
    return BatchMetadata.builder()
        .number(number())
        .start(clock.instant())
        .sourceEndpoint(conf.kafka().bootstrapServers())
        .clientId(conf.kafka().clientId())
        .sourceName(conf.kafka().sourceName())
        .build();
  }

  /**
   * The state the batch will commit, before its counts; its summary also names the source by {@code
   * conf}'s bootstrap servers, the key the first release reads.
   */
  BatchState planned(JobConf conf, BatchMetadata batch) {
    Map<Integer, Long> origin = position.last().isPresent() ? position.origin() : plan.starts();
    return BatchState.of(source, batch, plan.starts(), plan.stops()).toBuilder()
        .lostFrom(plan.lostFrom())
        .topic(plan.topicId(), origin)
        .serverKey(
            SourceKey.of(
                conf.kafka().bootstrapServers(), conf.kafka().topic(), conf.kafka().groupId()))
        .build();
  }

  /**
   * The dead-letter table: created when the policy stores dead letters and {@code create}, loaded
   * when it exists, so dead letters of an earlier batch can still be caught up.
   */
  private static Optional<Table> deadLetterTable(JobConf conf, Catalog catalog, boolean create) {
    boolean store = conf.badRecords().policy().action() == BadRecordPolicy.Action.DEAD_LETTER;
    if (store && create) {
      return Optional.of(
          DeadLetterTables.loadOrCreate(catalog, conf.badRecords().deadLetterTable()));
    }
    return catalog.tableExists(conf.badRecords().deadLetterTable())
        ? Optional.of(catalog.loadTable(conf.badRecords().deadLetterTable()))
        : Optional.empty();
  }

  /** Rows are built in the table's column order, which evolution may have made differ. */
  private static Mapping inColumnOrder(Mapping mapping, Optional<Table> table) {
    return table
        .map(
            t ->
                mapping.reorderedAs(
                    t.schema().columns().stream()
                        .map(Types.NestedField::name)
                        .collect(Collectors.toList())))
        .orElse(mapping);
  }
}
