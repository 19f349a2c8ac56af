package io.github.ingest.kafka.source;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Hands each Kafka record on as it is; mapping happens downstream, where rejects can go aside. */
final class KafkaMessageDeserializer implements KafkaRecordDeserializationSchema<KafkaMessage> {

  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaMessage> out) {
    Header[] headers = record.headers().toArray();
    String[] names = KafkaMessage.NO_NAMES;
    byte[][] values = KafkaMessage.NO_VALUES;
    if (headers.length > 0) {
      names = new String[headers.length];
      values = new byte[headers.length][];
      for (int i = 0; i < headers.length; i++) {
        names[i] = headers[i].key();
        values[i] = headers[i].value();
      }
    }
    out.collect(
        new KafkaMessage(
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp(),
            record.key(),
            record.value(),
            record.timestampType().name,
            names,
            values));
  }

  @Override
  public TypeInformation<KafkaMessage> getProducedType() {
    return KafkaMessageTypeInfoFactory.KafkaMessageTypeInfo.INSTANCE;
  }
}
