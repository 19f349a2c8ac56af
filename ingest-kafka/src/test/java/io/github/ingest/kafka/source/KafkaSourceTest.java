package io.github.ingest.kafka.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class KafkaSourceTest {

  @Test
  void serializesMessagesWithoutKryo() throws Exception {
    assertThat(TypeInformation.of(KafkaMessage.class).createSerializer(null))
        .isSameAs(KafkaMessageSerializer.INSTANCE);
    KafkaMessage message =
        KafkaMessage.of("t", 3, 1187L, 1675123199000L, null, new byte[] {1, 2, 3});
    DataOutputSerializer out = new DataOutputSerializer(64);
    KafkaMessageSerializer.INSTANCE.serialize(message, out);
    KafkaMessage copy =
        KafkaMessageSerializer.INSTANCE.deserialize(
            new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(copy).isEqualTo(message);
    assertThat(copy.key()).isNull();
    assertThat(copy.location()).isEqualTo("topic t, partition 3, offset 1187");

    KafkaMessage withHeaders =
        new KafkaMessage(
            "t",
            0,
            1L,
            2L,
            new byte[] {9},
            null,
            "LogAppendTime",
            new String[] {"trace-id", "empty", "trace-id"},
            new byte[][] {{1}, null, {2}});
    out.clear();
    KafkaMessageSerializer.INSTANCE.serialize(withHeaders, out);
    KafkaMessage headersCopy =
        KafkaMessageSerializer.INSTANCE.deserialize(
            new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(headersCopy).isEqualTo(withHeaders);
    assertThat(headersCopy.timestampType()).isEqualTo("LogAppendTime");
    assertThat(headersCopy.headers())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactly("trace-id", "empty", "trace-id");
    assertThat(headersCopy.headers().get(1).getValue()).isNull();
  }

  @Test
  void plansRangesPerPartition() {
    OffsetPlan plan =
        OffsetPlan.of("t", List.of(OffsetRange.of(1, 5, 5), OffsetRange.of(0, 10, 25)));
    assertThat(plan.toString()).isEqualTo("t 0:[10, 25) 1:[5, 5)");
    assertThat(plan.size()).isEqualTo(15);
    assertThat(plan.nonEmptyRanges()).containsExactly(OffsetRange.of(0, 10, 25));
    assertThat(plan.startOffsets()).hasSize(1);
    assertThat(OffsetPlan.of("t", List.of(OffsetRange.of(0, 3, 3))).isEmpty()).isTrue();
  }

  @Test
  void rejectsInvalidRanges() {
    assertThatThrownBy(() -> OffsetRange.of(0, 10, 9))
        .hasMessage("Invalid offset range of partition 0: [10, 9)");
    assertThatThrownBy(
            () -> OffsetPlan.of("t", List.of(OffsetRange.of(0, 1, 2), OffsetRange.of(0, 2, 3))))
        .hasMessage("Invalid offset plan for topic t: partition 0 twice");
  }

  @Test
  void buildsABoundedSourceAndRefusesAnEmptyPlan() {
    Properties properties = new Properties();
    properties.setProperty("bootstrap.servers", "127.0.0.1:9092");
    OffsetPlan plan = OffsetPlan.of("t", List.of(OffsetRange.of(0, 0, 10)));
    assertThat(BoundedKafkaSources.of(plan, properties, "ingest").getBoundedness())
        .isEqualTo(Boundedness.BOUNDED);
    OffsetPlan empty = OffsetPlan.of("t", List.of(OffsetRange.of(0, 4, 4)));
    assertThatThrownBy(() -> BoundedKafkaSources.of(empty, properties, "ingest"))
        .hasMessage("Cannot read an empty offset plan: t 0:[4, 4)");
  }
}
