package io.github.ingest.kafka.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The offset planner against a real broker, called directly: where a batch starts and stops, what
 * it skips, and what it refuses. Each test has its own topic.
 */
class OffsetPlannerTest {

  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static TestBroker broker;

  private OffsetPlanner planner;
  private String topic;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = TestBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @BeforeEach
  void newTopic() {
    topic = "planned-" + TOPICS.incrementAndGet();
    planner = OffsetPlanner.create(broker.clientProperties(), Duration.ofSeconds(30));
  }

  @AfterEach
  void closePlanner() {
    planner.close();
  }

  @Test
  void aNewSourceReadsEveryPartitionFromItsStartToItsEnd() throws Exception {
    broker.createTopic(topic, 2);
    produce(0, 3);
    produce(1, 5);

    OffsetPlan plan = planner.plan(topic, Optional.empty(), options());

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 0, 3), OffsetRange.of(1, 0, 5));
    assertThat(plan.lostFrom()).isEmpty();
  }

  @Test
  void aBatchStartsWhereTheLastOneStoppedAndTheCapCutsIt() throws Exception {
    broker.createTopic(topic, 2);
    produce(0, 6);
    produce(1, 2);

    OffsetPlan plan =
        planner.plan(topic, Optional.of(Map.of(0, 2L, 1, 2L)), options().maxOffsetsPerPartition(3));

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 2, 5), OffsetRange.of(1, 2, 2));
  }

  @Test
  void aNewSourceStartsAtItsGroupsOffsetsWhereTheGroupHasThem() throws Exception {
    broker.createTopic(topic, 2);
    produce(0, 4);
    produce(1, 4);
    try (Admin admin = broker.admin()) {
      admin
          .alterConsumerGroupOffsets(
              "planner-group", Map.of(new TopicPartition(topic, 1), new OffsetAndMetadata(3)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }

    OffsetPlan plan = planner.plan(topic, Optional.empty(), options());

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 0, 4), OffsetRange.of(1, 3, 4));
  }

  @Test
  void offsetsDeletedBeforeAnyBatchReadThemStopThePlanUnlessSkipped() throws Exception {
    broker.createTopic(topic, 1);
    produce(0, 10);
    try (Admin admin = broker.admin()) {
      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(6)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Optional<Map<Integer, Long>> lastStops = Optional.of(Map.of(0, 4L));

    assertThatThrownBy(() -> planner.plan(topic, lastStops, options()))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("Offsets [4, 6) of partition 0 of topic " + topic)
        .hasMessageContaining("kafka.on-lost-offsets=skip")
        .satisfies(
            e -> assertThat(((IngestException) e).exitCode()).isEqualTo(ExitCode.BAD_CONFIG));

    OffsetPlan skipping = planner.plan(topic, lastStops, options().skipLostOffsets(true));
    assertThat(skipping.ranges()).containsExactly(OffsetRange.of(0, 6, 10));
    assertThat(skipping.lostFrom()).containsExactly(Map.entry(0, 4L));
  }

  @Test
  void aRecreatedTopicIsRefusedUntilItsNewIdIsAccepted() throws Exception {
    broker.createTopic(topic, 1);
    produce(0, 2);
    String id = planner.topicId(topic);
    Optional<Map<Integer, Long>> lastStops = Optional.of(Map.of(0, 1L));

    assertThatThrownBy(() -> planner.plan(topic, lastStops, "an-older-id", options()))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("was deleted and recreated")
        .hasMessageContaining("an-older-id")
        .hasMessageContaining("kafka.accept-topic-id=" + id);
    assertThat(planner.plan(topic, lastStops, "an-older-id", options().acceptTopicId(id)).ranges())
        .as("the accepted topic is read from its start")
        .containsExactly(OffsetRange.of(0, 0, 2));
    assertThat(planner.plan(topic, lastStops, id, options()).ranges())
        .as("the same topic goes on")
        .containsExactly(OffsetRange.of(0, 1, 2));
  }

  @Test
  void aStopBeyondThePartitionsEndOrAPartitionThatIsGoneMeansAnotherTopic() throws Exception {
    broker.createTopic(topic, 1);
    produce(0, 2);

    assertThatThrownBy(() -> planner.plan(topic, Optional.of(Map.of(0, 9L)), options()))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("partition 0 ends at offset 2, before the start offset 9");
    assertThatThrownBy(() -> planner.plan(topic, Optional.of(Map.of(0, 1L, 3, 1L)), options()))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("it has 1 partitions, but the last batch read partition 3");
  }

  @Test
  void aCappedWindowOfAbortedRecordsWidensToTheNextVisibleRecord() throws Exception {
    broker.createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer = broker.producer("planner-" + topic)) {
      producer.initTransactions();
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

    OffsetPlan plan = planner.plan(topic, Optional.empty(), options().maxOffsetsPerPartition(2));
    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 0, 6));

    OffsetPlan whole = planner.plan(topic, Optional.empty(), options());
    assertThat(whole.ranges()).containsExactly(OffsetRange.of(0, 0, 7));
    assertThat(planner.visible(whole).ranges())
        .as("cut after the last visible record, not on the marker")
        .containsExactly(OffsetRange.of(0, 0, 6));
  }

  @Test
  void aRangeOfOnlyAbortedRecordsHasNothingToRead() throws Exception {
    broker.createTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer = broker.producer("planner-" + topic)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(record(0, "aborted"));
      producer.flush();
      producer.abortTransaction();
    }
    awaitStableEnd(0, 2);

    OffsetPlan plan = planner.plan(topic, Optional.empty(), options());

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 0, 2));
    assertThat(planner.visible(plan).isEmpty()).isTrue();
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

  private void produce(int partition, int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.producer(null)) {
      for (int i = 0; i < count; i++) {
        producer.send(record(partition, "message " + i)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private ProducerRecord<byte[], byte[]> record(int partition, String value) {
    return new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8));
  }
}
