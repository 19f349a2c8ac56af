package io.github.ingest.kafka.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.DeadLetterColumn;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.RecordCounts;
import io.github.ingest.core.internal.TombstonePolicy;
import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.ColumnSource;
import io.github.ingest.core.mapping.ColumnType;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MetadataField;
import io.github.ingest.kafka.source.KafkaMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

/**
 * The mapping operator on Flink's operator test harness: what each tombstone policy makes of a
 * record without a value, and what it counts.
 */
class MappingOperatorTest {

  private static final BatchMetadata BATCH =
      BatchMetadata.builder()
          .number(3)
          .start(Instant.parse("2026-12-02T10:00:00Z"))
          .sourceEndpoint("127.0.0.1:9092")
          .clientId("ingest")
          .sourceName("accounts")
          .build();

  private static final Mapping MAPPING =
      Mapping.builder("accounts")
          .column(
              Column.required(
                  "account", ColumnType.string(), ColumnSource.metadata(MetadataField.SOURCE_KEY)))
          .column(Column.optional("balance", ColumnType.bigint(), ColumnSource.field("balance")))
          .build();

  private static final KafkaMessage GOOD = message("a-1", "{\"balance\":7}", 0);
  private static final KafkaMessage TOMBSTONE = message("a-2", null, 1);
  private static final KafkaMessage BAD = message("a-3", "{\"balance\":\"x\"}", 2);

  @Test
  void skippedTombstonesAreCountedAndWriteNothing() throws Exception {
    Result result = run(TombstonePolicy.SKIP, BadRecordPolicy.Action.DEAD_LETTER);
    assertThat(result.rows).containsExactly("a-1,7");
    assertThat(result.deadLetters).containsExactly("a-3:INVALID_VALUE");
    assertThat(result.counts.read()).isEqualTo(3);
    assertThat(result.counts.rejected()).isEqualTo(1);
    assertThat(result.counts.tombstones()).isEqualTo(1);
    assertThat(result.counts.deadLettered()).isEqualTo(1);
  }

  @Test
  void deadLetteredTombstonesAreNotBadRecords() throws Exception {
    Result result = run(TombstonePolicy.DEAD_LETTER, BadRecordPolicy.Action.DEAD_LETTER);
    assertThat(result.rows).containsExactly("a-1,7");
    assertThat(result.deadLetters).containsExactly("a-2:NO_VALUE", "a-3:INVALID_VALUE");
    assertThat(result.counts.rejected()).isEqualTo(1);
    assertThat(result.counts.tombstones()).isEqualTo(1);
    assertThat(result.counts.deadLettered()).isEqualTo(2);
  }

  @Test
  void aTombstoneRowHasTheKeyAndNullsFromTheValue() throws Exception {
    Result result = run(TombstonePolicy.ROW, BadRecordPolicy.Action.SKIP);
    assertThat(result.rows).containsExactly("a-1,7", "a-2,null");
    assertThat(result.counts.rejected()).isEqualTo(1);
    assertThat(result.counts.tombstones()).isZero();
  }

  @Test
  void asBadRecordsTombstonesCountAgainstTheLimits() throws Exception {
    Result result = run(TombstonePolicy.BAD_RECORD, BadRecordPolicy.Action.DEAD_LETTER);
    assertThat(result.deadLetters).containsExactly("a-2:NO_VALUE", "a-3:INVALID_VALUE");
    assertThat(result.counts.rejected()).isEqualTo(2);
    assertThat(result.counts.tombstones()).isZero();

    assertThatThrownBy(() -> run(TombstonePolicy.BAD_RECORD, BadRecordPolicy.Action.FAIL))
        .isInstanceOf(BadRecordException.class)
        .hasStackTraceContaining("tombstone")
        .hasStackTraceContaining("topic accounts, partition 0, offset 1");
  }

  private static Result run(TombstonePolicy tombstones, BadRecordPolicy.Action onBad)
      throws Exception {
    MappingOperator operator =
        new MappingOperator(
            MAPPING, BATCH, "ingest", onBad, tombstones, Duration.ofMinutes(1), Failpoints.NONE);
    try (OneInputStreamOperatorTestHarness<KafkaMessage, RowData> harness =
        new OneInputStreamOperatorTestHarness<>(operator)) {
      harness.open();
      for (KafkaMessage message : List.of(GOOD, TOMBSTONE, BAD)) {
        harness.processElement(new StreamRecord<>(message));
      }
      harness.endInput();
      Result result = new Result();
      result.rows =
          harness.extractOutputValues().stream()
              .map(row -> row.getString(0) + "," + (row.isNullAt(1) ? "null" : row.getLong(1)))
              .collect(Collectors.toList());
      var deadLetters = harness.getSideOutput(MappingOperator.DEAD_LETTERS);
      result.deadLetters =
          deadLetters == null
              ? List.of()
              : deadLetters.stream()
                  .map(StreamRecord::getValue)
                  .map(
                      row ->
                          new String(
                                  row.getBinary(DeadLetterColumn.KAFKA_KEY.position()),
                                  StandardCharsets.UTF_8)
                              + ":"
                              + row.getString(DeadLetterColumn.ERROR_KIND.position()))
                  .collect(Collectors.toList());
      result.counts = harness.getSideOutput(MappingOperator.COUNTS).peek().getValue();
      return result;
    }
  }

  private static KafkaMessage message(String key, String value, long offset) {
    return KafkaMessage.of(
        "accounts",
        0,
        offset,
        1_764_669_600_000L + offset,
        key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static final class Result {
    List<String> rows;
    List<String> deadLetters;
    RecordCounts counts;
  }
}
