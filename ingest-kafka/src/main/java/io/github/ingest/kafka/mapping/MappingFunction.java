package io.github.ingest.kafka.mapping;

import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.fault.Failpoints;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.RecordMapper;
import io.github.ingest.core.mapping.RecordRejectedException;
import io.github.ingest.kafka.source.KafkaMessage;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * Maps each Kafka message to a row of the mapping's table. A message that does not map fails the
 * batch with a {@link BadRecordException} that names the value and the record's coordinates, so
 * nothing is committed and nothing is lost.
 */
public final class MappingFunction extends ProcessFunction<KafkaMessage, RowData> {

  private static final long serialVersionUID = 1L;

  /** Accumulator with the number of records read. */
  public static final String RECORDS_READ = "ingest.records-read";

  private final Mapping mapping;
  private final BatchMetadata batch;
  private final RowConverter converter;

  private transient RecordMapper mapper;
  private transient LongCounter recordsRead;

  public MappingFunction(Mapping mapping, BatchMetadata batch) {
    this.mapping = mapping;
    this.batch = batch;
    this.converter = new RowConverter(mapping);
  }

  @Override
  public void open(Configuration parameters) {
    this.mapper = mapping.mapper(batch);
    this.recordsRead = getRuntimeContext().getLongCounter(RECORDS_READ);
  }

  @Override
  public void processElement(KafkaMessage message, Context context, Collector<RowData> out) {
    recordsRead.add(1);
    Object[] values;
    try {
      values = mapper.map(message);
    } catch (RecordRejectedException e) {
      throw new BadRecordException(e.getMessage() + " (" + message.location() + ")");
    }
    out.collect(converter.toRowData(values));
    if (recordsRead.getLocalValue() == 10) {
      Failpoints.reach(Failpoints.READING);
    }
  }
}
