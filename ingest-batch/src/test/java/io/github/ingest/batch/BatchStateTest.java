package io.github.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.core.batch.BatchMetadata;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchStateTest {

  private static final BatchMetadata BATCH =
      BatchMetadata.builder()
          .number(3)
          .start(Instant.parse("2026-11-23T10:00:00.123456789Z"))
          .sourceEndpoint("broker:9092")
          .clientId("ingest")
          .sourceName("balance_changes")
          .build();

  private static final String SOURCE = "kafka://broker:9092/balance_changes?group=ingest";

  @Test
  void formatsTheBatchStartAsTheTableContractSays() {
    assertThat(BATCH.logFileName()).isEqualTo("2026-11-23_10-00-00.log");
    assertThat(BATCH.logFileBaseName()).isEqualTo("2026-11-23_10-00-00");
    assertThat(BATCH.batchTimestamp()).isEqualTo("2026-11-23T10:00:00.123456");
  }

  @Test
  void roundTripsThroughASnapshotSummary() {
    BatchState state =
        BatchState.of(SOURCE, BATCH, Map.of(0, 10L, 1, 0L), Map.of(0, 20L, 1, 5L))
            .withCounts(13, 2, 0);
    Map<String, String> summary = StateCodec.toSummary(state);
    assertThat(summary)
        .containsEntry("ingest.source", SOURCE)
        .containsEntry("ingest.batch.number", "3")
        .containsEntry("ingest.batch.log-file-name", "2026-11-23_10-00-00.log")
        .containsEntry("ingest.batch.timestamp", "2026-11-23T10:00:00.123456")
        .containsEntry("ingest.offsets.start", "0:10,1:0")
        .containsEntry("ingest.offsets.stop", "0:20,1:5")
        .containsEntry("ingest.records.read", "15")
        .containsEntry("ingest.records.written", "13")
        .containsEntry("ingest.records.rejected", "2");
    Map<String, String> snapshot = new HashMap<>(summary);
    snapshot.put("added-records", "13");
    assertThat(StateCodec.fromSummary(snapshot)).isEqualTo(state);
    assertThat(StateCodec.isBatchOf(SOURCE, snapshot)).isTrue();
    assertThat(StateCodec.isBatchOf(SOURCE + "x", snapshot)).isFalse();
  }

  @Test
  void recordsTheKeyByServersForTheFirstReleaseAndTheClusterKeyBesideIt() {
    String byCluster = "kafka://cluster-1/balance_changes?group=ingest";
    BatchState state =
        BatchState.of(byCluster, BATCH, Map.of(0, 10L), Map.of(0, 20L)).toBuilder()
            .serverKey(SOURCE)
            .build();

    Map<String, String> summary = StateCodec.toSummary(state);

    assertThat(summary)
        .containsEntry("ingest.source", SOURCE)
        .containsEntry("ingest.source.id", byCluster);
    BatchState read = StateCodec.fromSummary(summary);
    assertThat(read).isEqualTo(state);
    assertThat(read.source()).isEqualTo(byCluster);
    assertThat(read.serverKey()).isEqualTo(SOURCE);
    assertThat(read.started()).isEqualTo(Instant.parse("2026-11-23T10:00:00.123456Z"));
    assertThat(StateCodec.isBatchOf(byCluster, summary)).isTrue();
    // another cluster with the same topic and group is told apart by the id
    assertThat(StateCodec.isBatchOf("kafka://cluster-2/balance_changes?group=ingest", summary))
        .isFalse();
    assertThatThrownBy(() -> state.toBuilder().serverKey("kafka://cluster-1/t?group=g").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid source key by servers: kafka://cluster-1/t?group=g");
  }

  @Test
  void recordsOffsetsLostToRetentionOnlyWhenThereAreSome() {
    BatchState state = BatchState.of(SOURCE, BATCH, Map.of(0, 10L, 1, 0L), Map.of(0, 20L, 1, 5L));
    assertThat(StateCodec.toSummary(state)).doesNotContainKey("ingest.offsets.lost-from");
    assertThat(StateCodec.fromSummary(StateCodec.toSummary(state)).lostFrom()).isEmpty();

    BatchState lost = state.toBuilder().lostFrom(Map.of(0, 4L)).build();
    assertThat(StateCodec.toSummary(lost)).containsEntry("ingest.offsets.lost-from", "0:4");
    assertThat(StateCodec.fromSummary(StateCodec.toSummary(lost))).isEqualTo(lost);
    assertThat(lost.withCounts(1, 0, 0).lostFrom()).containsEntry(0, 4L);
    assertThatThrownBy(() -> state.toBuilder().lostFrom(Map.of(0, 10L)).build())
        .hasMessageContaining("Invalid lost offset 10 of partition 0");
  }

  @Test
  void recordsDuplicatesOnlyWhenThereAreSome() {
    BatchState state = BatchState.of(SOURCE, BATCH, Map.of(0, 0L), Map.of(0, 10L));
    assertThat(StateCodec.toSummary(state.withCounts(10, 0, 0)))
        .doesNotContainKey("ingest.records.duplicates");
    BatchState deduplicated = state.withCounts(6, 1, 0, 3);
    Map<String, String> summary = StateCodec.toSummary(deduplicated);
    assertThat(summary)
        .containsEntry("ingest.records.duplicates", "3")
        .containsEntry("ingest.records.read", "10");
    assertThat(StateCodec.fromSummary(summary)).isEqualTo(deduplicated);
    assertThat(StateCodec.fromSummary(summary).duplicates()).isEqualTo(3);
  }

  @Test
  void rejectsABrokenSummary() {
    Map<String, String> summary =
        new HashMap<>(
            StateCodec.toSummary(BatchState.of(SOURCE, BATCH, Map.of(0, 1L), Map.of(0, 2L))));
    summary.put("ingest.offsets.stop", "0:2,x:3");
    assertThatThrownBy(() -> StateCodec.fromSummary(summary))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid batch state: ingest.offsets.stop=0:2,x:3");
    summary.remove("ingest.batch.number");
    assertThatThrownBy(() -> StateCodec.fromSummary(summary))
        .hasMessage("Invalid batch state: no ingest.batch.number");
  }

  @Test
  void readIsWrittenPlusRejectedPlusTombstonesPlusDuplicatesAndCountsAreNeverNegative() {
    BatchState state = BatchState.of(SOURCE, BATCH, Map.of(0, 1L), Map.of(0, 9L));
    assertThat(state.withCounts(5, 2, 1).read()).isEqualTo(8);
    assertThat(state.withCounts(5, 2, 1, 3).read()).isEqualTo(11);
    assertThatThrownBy(() -> state.withCounts(-1, 0, 0))
        .hasMessage("Invalid counts: -1 written, 0 rejected, 0 tombstones, 0 duplicates");
    assertThatThrownBy(() -> state.withCounts(1, 0, 0, -1))
        .hasMessage("Invalid counts: 1 written, 0 rejected, 0 tombstones, -1 duplicates");
    assertThatThrownBy(() -> BatchState.of(SOURCE, BATCH, Map.of(0, 1L), Map.of()))
        .hasMessage(
            "Invalid offsets: start offsets of partitions [0], stop offsets of partitions []");
  }

  @Test
  void rejectsInvalidBatchMetadata() {
    assertThatThrownBy(
            () ->
                BatchMetadata.builder()
                    .number(0)
                    .start(Instant.EPOCH)
                    .sourceEndpoint("b")
                    .clientId("c")
                    .sourceName("s")
                    .build())
        .hasMessage("Invalid batch number: 0 (must be 1 or more)");
    assertThatThrownBy(
            () ->
                BatchMetadata.builder()
                    .number(1)
                    .start(Instant.EPOCH)
                    .sourceEndpoint(" ")
                    .clientId("c")
                    .sourceName("s")
                    .build())
        .hasMessage("Invalid source endpoint:  ");
  }
}
