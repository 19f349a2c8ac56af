package io.github.ingest.kafka.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Hands each Kafka record on as it is; mapping happens downstream, where rejects can go aside. */
final class KafkaMessageDeserializer implements KafkaRecordDeserializationSchema<KafkaMessage> {

  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaMessage> out) {
    out.collect(
        KafkaMessage.of(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp(),
            record.key(),
            record.value()));
  }

  @Override
  public TypeInformation<KafkaMessage> getProducedType() {
    return KafkaMessageTypeInfoFactory.KafkaMessageTypeInfo.INSTANCE;
  }
}
