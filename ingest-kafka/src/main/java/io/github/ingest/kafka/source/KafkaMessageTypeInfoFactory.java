package io.github.ingest.kafka.source;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Gives {@link KafkaMessage} its own serializer wherever Flink extracts its type. */
public final class KafkaMessageTypeInfoFactory extends TypeInfoFactory<KafkaMessage> {

  @Override
  public TypeInformation<KafkaMessage> createTypeInfo(
      Type type, Map<String, TypeInformation<?>> genericParameters) {
    return KafkaMessageTypeInfo.INSTANCE;
  }

  /** The type information of {@link KafkaMessage}. */
  static final class KafkaMessageTypeInfo extends TypeInformation<KafkaMessage> {
    private static final long serialVersionUID = 1L;
    static final KafkaMessageTypeInfo INSTANCE = new KafkaMessageTypeInfo();

    @Override
    public boolean isBasicType() {
      return false;
    }

    @Override
    public boolean isTupleType() {
      return false;
    }

    @Override
    public int getArity() {
      return 1;
    }

    @Override
    public int getTotalFields() {
      return 1;
    }

    @Override
    public Class<KafkaMessage> getTypeClass() {
      return KafkaMessage.class;
    }

    @Override
    public boolean isKeyType() {
      return false;
    }

    @Override
    public TypeSerializer<KafkaMessage> createSerializer(ExecutionConfig config) {
      return KafkaMessageSerializer.INSTANCE;
    }

    @Override
    public String toString() {
      return "KafkaMessage";
    }

    @Override
    public boolean equals(Object obj) {
      return obj instanceof KafkaMessageTypeInfo;
    }

    @Override
    public int hashCode() {
      return KafkaMessage.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
      return obj instanceof KafkaMessageTypeInfo;
    }
  }
}
