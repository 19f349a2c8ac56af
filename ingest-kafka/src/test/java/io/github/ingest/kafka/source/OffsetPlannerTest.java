package io.github.ingest.kafka.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.kafka.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offset planner against a real broker, for what only a broker shows: transaction markers and
 * aborted records, which take offsets but deliver nothing. The rules are {@link PlanningRulesTest}.
 * Each test has its own topic.
 */
class OffsetPlannerTest {

  private static final AtomicInteger TOPICS = new AtomicInteger();
  @TempDir static Path dir;
  private static KafkaBroker broker;

  private OffsetPlanner planner;
  private String topic;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @BeforeEach
  void newTopic() {
    topic = "planned-" + TOPICS.incrementAndGet();
    Properties client = new Properties();
    client.setProperty("bootstrap.servers", broker.bootstrapServers());
    planner = OffsetPlanner.create(client, Duration.ofSeconds(30));
  }

  @AfterEach
  void closePlanner() {
    planner.close();
  }

  @Test
  void aCappedWindowOfAbortedRecordsWidensToTheNextVisibleRecord() throws Exception {
    broker.createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer =
        broker.transactionalProducer("planner-" + topic)) {
      producer.beginTransaction();
      for (int i = 0; i < 4; i++) {
        producer.send(record(0, "aborted " + i));
      }
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(record(0, "committed"));
      producer.commitTransaction();
    }
    // offsets: 0-3 aborted, 4 the abort marker, 5 the committed record, 6 its marker
    awaitStableEnd(0, 7);

    OffsetPlan plan = plan(options().maxOffsetsPerPartition(2));
    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 0, 6));

    OffsetPlan whole = plan(options());
    assertThat(whole.ranges()).containsExactly(OffsetRange.of(0, 0, 7));
    assertThat(planner.visible(whole).ranges())
        .as("cut after the last visible record, not on the marker")
        .containsExactly(OffsetRange.of(0, 0, 6));
  }

  @Test
  void aRangeOfOnlyAbortedRecordsHasNothingToRead() throws Exception {
    broker.createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer =
        broker.transactionalProducer("planner-" + topic)) {
      producer.beginTransaction();
      producer.send(record(0, "aborted"));
      producer.flush();
      producer.abortTransaction();
    }
    awaitStableEnd(0, 2);

    OffsetPlan plan = plan(options());

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 0, 2));
    assertThat(planner.visible(plan).isEmpty()).isTrue();
  }

  private OffsetPlan plan(PlanOptions options) {
    return planner.plan(planner.kafka().describe(topic), Optional.empty(), "", options);
  }

  private static PlanOptions options() {
    return PlanOptions.forGroup("planner-group").startingAt(StartingPosition.EARLIEST);
  }

  /**
   * Waits for the partition's last stable offset to reach {@code end}: a transaction's markers are
   * written after the producer's commit or abort returns.
   */
  private void awaitStableEnd(int partition, long end) throws Exception {
    TopicPartition tp = new TopicPartition(topic, partition);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Admin admin = broker.admin()) {
      while (admin
              .listOffsets(
                  Map.of(tp, OffsetSpec.latest()),
                  new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .partitionResult(tp)
              .get(30, TimeUnit.SECONDS)
              .offset()
          < end) {
        assertThat(System.nanoTime()).as("the markers are written").isLessThan(deadline);
        Thread.sleep(50);
      }
    }
  }

  private ProducerRecord<byte[], byte[]> record(int partition, String value) {
    return new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8));
  }
}
