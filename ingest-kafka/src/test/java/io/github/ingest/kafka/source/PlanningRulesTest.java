package io.github.ingest.kafka.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every rule of the offset planner on a topic held in memory: where a batch starts and stops, what
 * it skips and what it refuses. {@link OffsetPlannerTest} keeps what needs a broker.
 */
class PlanningRulesTest {

  private static final String TOPIC = "balance_changes";

  private final InMemoryKafka kafka = new InMemoryKafka(TOPIC, "id-1", 2);
  private final OffsetPlanner planner = new OffsetPlanner(kafka);

  @Test
  void aNewSourceReadsEveryPartitionFromItsStartToItsEndAndTheTopicIsDescribedOnce() {
    kafka.records(0, 3).records(1, 5);

    OffsetPlan plan = plan(Optional.empty(), "", options());

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 0, 3), OffsetRange.of(1, 0, 5));
    assertThat(plan.lostFrom()).isEmpty();
    assertThat(plan.topicId()).isEqualTo("id-1");
    assertThat(planner.visible(plan).topicId()).isEqualTo("id-1");
  }

  @Test
  void aBatchContinuesWhereTheLastOneStoppedAndTheCapCutsIt() {
    kafka.records(0, 6).records(1, 2);

    OffsetPlan plan =
        plan(Optional.of(Map.of(0, 2L, 1, 2L)), "id-1", options().maxOffsetsPerPartition(3));

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 2, 5), OffsetRange.of(1, 2, 2));
  }

  @Test
  void aNewSourceStartsAtItsGroupsOffsetsElseAtTheStartingPosition() {
    kafka.records(0, 4).records(1, 4).groupAt("ingest", 1, 3).groupAt("other", 0, 1);

    assertThat(plan(Optional.empty(), "", options()).ranges())
        .containsExactly(OffsetRange.of(0, 0, 4), OffsetRange.of(1, 3, 4));
    assertThat(plan(Optional.empty(), "", options().startingAt(StartingPosition.LATEST)).ranges())
        .containsExactly(OffsetRange.of(0, 4, 4), OffsetRange.of(1, 3, 4));
  }

  @Test
  void aTimestampStartsAtTheFirstRecordAtOrAfterItAndAtTheEndWhereThereIsNone() {
    kafka.records(0, 10).records(1, 2); // record n at n seconds after epoch

    OffsetPlan plan =
        plan(
            Optional.empty(),
            "",
            options().startingAt(StartingPosition.timestamp(Instant.ofEpochSecond(5))));

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 5, 10), OffsetRange.of(1, 2, 2));
  }

  @Test
  void aPartitionAddedSinceTheLastBatchStartsAtItsEarliestOffset() {
    kafka.records(0, 4).records(1, 4).addPartitions(1).records(2, 3).deleteBefore(2, 1);

    OffsetPlan plan = plan(Optional.of(Map.of(0, 4L, 1, 2L)), "id-1", options());

    assertThat(plan.ranges())
        .containsExactly(OffsetRange.of(0, 4, 4), OffsetRange.of(1, 2, 4), OffsetRange.of(2, 1, 3));
    assertThat(plan.lostFrom()).isEmpty();
  }

  @Test
  void offsetsDeletedBeforeAnyBatchReadThemStopThePlanUnlessSkipped() {
    kafka.records(0, 10).records(1, 1).deleteBefore(0, 6);
    Optional<Map<Integer, Long>> lastStops = Optional.of(Map.of(0, 4L, 1, 1L));

    assertThatThrownBy(() -> plan(lastStops, "id-1", options()))
        .isInstanceOf(IngestException.class)
        .hasMessage(
            "Offsets [4, 6) of partition 0 of topic balance_changes were deleted by retention"
                + " before any batch read them. Set kafka.on-lost-offsets=skip to skip them and"
                + " go on.")
        .satisfies(
            e -> assertThat(((IngestException) e).exitCode()).isEqualTo(ExitCode.BAD_CONFIG));

    OffsetPlan skipping = plan(lastStops, "id-1", options().skipLostOffsets(true));
    assertThat(skipping.ranges())
        .containsExactly(OffsetRange.of(0, 6, 10), OffsetRange.of(1, 1, 1));
    assertThat(skipping.lostFrom()).containsExactly(Map.entry(0, 4L));
  }

  @Test
  void aRecreatedTopicIsRefusedUntilItsNewIdIsAccepted() {
    kafka.records(0, 5).recreate("id-2", 2).records(0, 2);
    Optional<Map<Integer, Long>> lastStops = Optional.of(Map.of(0, 1L, 1, 0L));

    assertThatThrownBy(() -> plan(lastStops, "id-1", options()))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("was deleted and recreated")
        .hasMessageContaining("read the topic with id id-1, the topic now has id id-2")
        .hasMessageContaining("kafka.accept-topic-id=id-2");
    assertThat(plan(lastStops, "id-1", options().acceptTopicId("id-2")).ranges())
        .as("the accepted topic is read from its start")
        .containsExactly(OffsetRange.of(0, 0, 2), OffsetRange.of(1, 0, 0));
    assertThat(plan(lastStops, "id-2", options()).ranges())
        .as("the same topic goes on")
        .containsExactly(OffsetRange.of(0, 1, 2), OffsetRange.of(1, 0, 0));
    assertThat(plan(lastStops, "", options().acceptTopicId("id-2")).ranges())
        .as("a state without a topic id, with the id accepted, starts over")
        .containsExactly(OffsetRange.of(0, 0, 2), OffsetRange.of(1, 0, 0));
  }

  @Test
  void aStopBeyondThePartitionsEndOrAPartitionThatIsGoneMeansAnotherTopic() {
    kafka.records(0, 2);

    assertThatThrownBy(() -> plan(Optional.of(Map.of(0, 9L)), "", options()))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("partition 0 ends at offset 2, before the start offset 9")
        .hasMessageContaining("kafka.accept-topic-id=id-1");
    assertThatThrownBy(() -> plan(Optional.of(Map.of(0, 1L, 3, 1L)), "", options()))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("it has 2 partitions, but the last batch read partition 3");
  }

  @Test
  void aCappedWindowWithoutVisibleRecordsWidensToTheNextVisibleRecordOrTheEnd() {
    kafka.invisible(0, 5).records(0, 1).invisible(0, 1); // 0-4 aborted and marker, 5, 6 marker
    kafka.invisible(1, 4);

    OffsetPlan plan = plan(Optional.empty(), "", options().maxOffsetsPerPartition(2));

    assertThat(plan.ranges()).containsExactly(OffsetRange.of(0, 0, 6), OffsetRange.of(1, 0, 4));
    assertThat(planner.visible(plan).ranges())
        .as("cut after the last visible record; a range of none is empty")
        .containsExactly(OffsetRange.of(0, 0, 6), OffsetRange.of(1, 0, 0));
    assertThat(kafka.openVisible).as("the readers of visible records are closed").isZero();
  }

  @Test
  void theGroupIsBehindUnlessItsOffsetsAreAtEveryEnd() {
    kafka.records(0, 3).records(1, 3);
    assertThat(planner.groupBehind("ingest", TOPIC)).as("no offsets").isTrue();
    kafka.commit("ingest", TOPIC, Map.of(0, 3L, 1, 2L));
    assertThat(planner.groupBehind("ingest", TOPIC)).isTrue();
    kafka.commit("ingest", TOPIC, Map.of(1, 3L));
    assertThat(planner.groupBehind("ingest", TOPIC)).isFalse();
  }

  @Test
  void theLagIsHowFarEachEndIsBeyondWhereTheTableStands() {
    kafka.records(0, 10).records(1, 3);
    OffsetPlan plan = plan(Optional.empty(), "", options());

    assertThat(planner.lag(plan, Map.of(0, 4L)))
        .containsExactly(Map.entry(0, 6L), Map.entry(1, 3L));
    planner.close();
    assertThat(kafka.closed).isTrue();
  }

  private OffsetPlan plan(
      Optional<Map<Integer, Long>> lastStops, String lastTopicId, PlanOptions options) {
    return planner.plan(kafka.describe(TOPIC), lastStops, lastTopicId, options);
  }

  private static PlanOptions options() {
    return PlanOptions.forGroup("ingest").startingAt(StartingPosition.EARLIEST);
  }
}
