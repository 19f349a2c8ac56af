package io.github.ingest.kafka.source;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes {@link KafkaMessage} field by field, so Flink never falls back to Kryo for it. */
public final class KafkaMessageSerializer extends TypeSerializerSingleton<KafkaMessage> {

  private static final long serialVersionUID = 1L;

  public static final KafkaMessageSerializer INSTANCE = new KafkaMessageSerializer();

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public KafkaMessage createInstance() {
    return KafkaMessage.of("", 0, 0L, 0L, null, null);
  }

  @Override
  public KafkaMessage copy(KafkaMessage from) {
    return from;
  }

  @Override
  public KafkaMessage copy(KafkaMessage from, KafkaMessage reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(KafkaMessage record, DataOutputView target) throws IOException {
    target.writeUTF(record.topic());
    target.writeInt(record.partition());
    target.writeLong(record.offset());
    target.writeLong(record.timestamp());
    writeBytes(record.key(), target);
    writeBytes(record.value(), target);
    target.writeUTF(record.timestampType());
    target.writeInt(record.headerCount());
    for (int i = 0; i < record.headerCount(); i++) {
      target.writeUTF(record.headerName(i));
      writeBytes(record.headerValue(i), target);
    }
  }

  @Override
  public KafkaMessage deserialize(DataInputView source) throws IOException {
    String topic = source.readUTF();
    int partition = source.readInt();
    long offset = source.readLong();
    long timestamp = source.readLong();
    byte[] key = readBytes(source);
    byte[] value = readBytes(source);
    String timestampType = source.readUTF();
    int headers = source.readInt();
    String[] names = headers == 0 ? KafkaMessage.NO_NAMES : new String[headers];
    byte[][] values = headers == 0 ? KafkaMessage.NO_VALUES : new byte[headers][];
    for (int i = 0; i < headers; i++) {
      names[i] = source.readUTF();
      values[i] = readBytes(source);
    }
    return new KafkaMessage(
        topic, partition, offset, timestamp, key, value, timestampType, names, values);
  }

  @Override
  public KafkaMessage deserialize(KafkaMessage reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<KafkaMessage> snapshotConfiguration() {
    return new Snapshot();
  }

  private static void writeBytes(byte[] bytes, DataOutputView target) throws IOException {
    if (bytes == null) {
      target.writeInt(-1);
    } else {
      target.writeInt(bytes.length);
      target.write(bytes);
    }
  }

  private static byte[] readBytes(DataInputView source) throws IOException {
    int length = source.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    source.readFully(bytes);
    return bytes;
  }

  /** Serializer snapshot for savepoint compatibility; the format has one version. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<KafkaMessage> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
