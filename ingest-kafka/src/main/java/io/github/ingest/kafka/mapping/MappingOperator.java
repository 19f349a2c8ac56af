package io.github.ingest.kafka.mapping;

import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.RecordCounts;
import io.github.ingest.core.internal.TombstonePolicy;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.RecordMapper;
import io.github.ingest.core.mapping.RecordRejectedException;
import io.github.ingest.kafka.source.KafkaMessage;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps each Kafka message to a row of the mapping's table. A message that does not map is, by the
 * policy, sent to the {@link #DEAD_LETTERS} output, counted and logged, or fails the batch with a
 * {@link BadRecordException} naming the value and the record's coordinates. At the end of its input
 * it sends its {@link RecordCounts} to the {@link #COUNTS} output.
 */
public final class MappingOperator extends AbstractStreamOperator<RowData>
    implements OneInputStreamOperator<KafkaMessage, RowData>, BoundedOneInput {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MappingOperator.class);

  /** Dead-letter rows, in the order {@link DeadLetterRows} documents. */
  public static final OutputTag<RowData> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(RowData.class));

  /** The accumulator of the records read, summed over the subtasks while the job runs. */
  public static final String READ_ACCUMULATOR = "ingest.records.read";

  /** One {@link RecordCounts} per subtask, at the end of its input. */
  public static final OutputTag<RecordCounts> COUNTS =
      new OutputTag<>("counts", TypeInformation.of(RecordCounts.class));

  private final Mapping mapping;
  private final Failpoints failpoints;
  private final BatchMetadata batch;
  private final BadRecordPolicy.Action onBadRecord;
  private final TombstonePolicy onTombstone;
  private final RowConverter converter;
  private final DeadLetterRows deadLetters;
  private final long stallMillis;
  private boolean withCoordinates;

  private transient RecordMapper mapper;
  private transient StreamRecord<RowData> reused;
  private transient LongCounter read;
  private transient long rejected;
  private transient long tombstones;
  private transient long deadLettered;
  private transient String firstRejection;
  private transient long lastActive;
  private transient boolean ended;

  /**
   * A mapper that fails its batch when no record arrives for {@code stall} while its input has not
   * ended: a bounded Kafka source waits forever for a broker that went away.
   */
  public MappingOperator(
      Mapping mapping,
      BatchMetadata batch,
      String group,
      BadRecordPolicy.Action onBadRecord,
      TombstonePolicy onTombstone,
      Duration stall,
      Failpoints failpoints) {
    this.failpoints = failpoints;
    this.onTombstone = onTombstone;
    this.mapping = mapping;
    this.stallMillis = stall.toMillis();
    this.batch = batch;
    this.onBadRecord = onBadRecord;
    this.converter = new RowConverter(mapping);
    this.deadLetters = new DeadLetterRows(batch, group);
    setChainingStrategy(ChainingStrategy.ALWAYS);
  }

  /**
   * This operator, passing on each row followed by its record's partition (int), offset and
   * timestamp (longs), as deduplication needs them.
   */
  public MappingOperator withCoordinates() {
    this.withCoordinates = true;
    return this;
  }

  @Override
  public void open() throws Exception {
    super.open();
    read = new LongCounter();
    getRuntimeContext().addAccumulator(READ_ACCUMULATOR, read);
    MetricGroup metrics = getMetricGroup().addGroup("ingest");
    metrics.counter("recordsRead", new ReadOnlyCounter(read::getLocalValuePrimitive));
    metrics.counter("recordsRejected", new ReadOnlyCounter(() -> rejected));
    metrics.counter("tombstones", new ReadOnlyCounter(() -> tombstones));
    metrics.counter(
        "recordsWritten",
        new ReadOnlyCounter(() -> read.getLocalValuePrimitive() - rejected - tombstones));
    mapper = mapping.mapper(batch);
    reused = new StreamRecord<>(null);
    ProcessingTimeService time = getProcessingTimeService();
    lastActive = time.getCurrentProcessingTime();
    time.registerTimer(lastActive + stallMillis, this::checkProgress);
  }

  private void checkProgress(long now) {
    if (ended) {
      return;
    }
    if (now - lastActive >= stallMillis) {
      throw new IllegalStateException(
          String.format(
              "No record came from Kafka for %d s although offsets were left to read, after %d"
                  + " records: are the brokers reachable? (kafka.timeout)",
              stallMillis / 1000, read.getLocalValuePrimitive()));
    }
    getProcessingTimeService().registerTimer(lastActive + stallMillis, this::checkProgress);
  }

  @Override
  public void processElement(StreamRecord<KafkaMessage> element) {
    KafkaMessage message = element.getValue();
    read.add(1L);
    try {
      if (message.value() == null && onTombstone != TombstonePolicy.BAD_RECORD) {
        tombstone(message);
      } else {
        emit(converter.toRowData(mapper.map(message)), message);
      }
    } catch (RecordRejectedException e) {
      reject(message, e);
    }
    if (read.getLocalValuePrimitive() == 10) {
      failpoints.reach(Failpoints.READING);
    }
    lastActive = getProcessingTimeService().getCurrentProcessingTime();
  }

  private void emit(RowData row, KafkaMessage message) {
    output.collect(
        reused.replace(
            withCoordinates
                ? new JoinedRowData(
                    row,
                    GenericRowData.of(message.partition(), message.offset(), message.timestamp()))
                : row));
  }

  /** A tombstone under its own policy: never a bad record. */
  private void tombstone(KafkaMessage message) {
    switch (onTombstone) {
      case ROW:
        emit(converter.toRowData(mapper.mapTombstone(message)), message);
        return;
      case DEAD_LETTER:
        tombstones++;
        deadLettered++;
        try {
          mapper.map(message);
          throw new IllegalStateException("A tombstone mapped to a row: " + message.location());
        } catch (RecordRejectedException e) {
          output.collect(DEAD_LETTERS, new StreamRecord<>(deadLetters.row(message, e)));
        }
        return;
      default:
        tombstones++;
    }
  }

  private void reject(KafkaMessage message, RecordRejectedException e) {
    String reason = e.getMessage() + " (" + message.location() + ")";
    if (onBadRecord == BadRecordPolicy.Action.FAIL) {
      throw new BadRecordException(reason);
    }
    rejected++;
    if (firstRejection == null) {
      firstRejection = reason;
    }
    if (onBadRecord == BadRecordPolicy.Action.DEAD_LETTER) {
      deadLettered++;
      output.collect(DEAD_LETTERS, new StreamRecord<>(deadLetters.row(message, e)));
    } else {
      LOG.warn("Skipped a bad record: {}", reason);
    }
  }

  @Override
  public void endInput() {
    ended = true;
    output.collect(
        COUNTS,
        new StreamRecord<>(
            RecordCounts.of(
                read.getLocalValuePrimitive(),
                rejected,
                tombstones,
                deadLettered,
                firstRejection)));
  }

  /** A metric counter that shows a count kept elsewhere, so each record is counted once. */
  private static final class ReadOnlyCounter implements Counter {
    private final LongSupplier count;

    ReadOnlyCounter(LongSupplier count) {
      this.count = count;
    }

    @Override
    public long getCount() {
      return count.getAsLong();
    }

    @Override
    public void inc() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void inc(long n) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void dec() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void dec(long n) {
      throw new UnsupportedOperationException();
    }
  }
}
