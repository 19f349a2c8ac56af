package io.github.ingest.kafka.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartingPositionTest {

  @Test
  void parsesEveryForm() {
    assertThat(StartingPosition.parse("earliest")).isEqualTo(StartingPosition.EARLIEST);
    assertThat(StartingPosition.parse(" LATEST ")).isEqualTo(StartingPosition.LATEST);
    StartingPosition iso = StartingPosition.parse("timestamp:2026-11-01T10:15:30.250Z");
    assertThat(iso.kind()).isEqualTo(StartingPosition.Kind.TIMESTAMP);
    assertThat(iso.timestampMillis())
        .isEqualTo(Instant.parse("2026-11-01T10:15:30.250Z").toEpochMilli());
    assertThat(StartingPosition.parse("timestamp:1700000000000").timestampMillis())
        .isEqualTo(1_700_000_000_000L);
    assertThat(iso.toString()).isEqualTo("timestamp:2026-11-01T10:15:30.250Z");
  }

  @Test
  void namesTheTextItCannotParse() {
    assertThatThrownBy(() -> StartingPosition.parse("first"))
        .hasMessage(
            "Invalid starting position 'first': expected earliest, latest or"
                + " timestamp:<ISO-8601 instant or epoch millis>");
    assertThatThrownBy(() -> StartingPosition.parse("timestamp:2026-11-01"))
        .hasMessageStartingWith("Invalid starting position 'timestamp:2026-11-01'");
    assertThatThrownBy(() -> StartingPosition.parse("timestamp:"))
        .hasMessageStartingWith("Invalid starting position 'timestamp:'");
  }

  @Test
  void aPlanRecordsOnlyLossesBelowItsStarts() {
    List<OffsetRange> ranges = List.of(OffsetRange.of(0, 15, 30), OffsetRange.of(1, 0, 4));
    OffsetPlan plan = OffsetPlan.of("t", ranges, Map.of(0, 10L));
    assertThat(plan.lostFrom()).containsExactly(Map.entry(0, 10L));
    assertThat(plan.starts()).containsExactly(Map.entry(0, 15L), Map.entry(1, 0L));
    assertThat(plan.stops()).containsExactly(Map.entry(0, 30L), Map.entry(1, 4L));
    assertThatThrownBy(() -> OffsetPlan.of("t", ranges, Map.of(1, 0L)))
        .hasMessageStartingWith("Invalid lost offset 0 of partition 1");
    assertThatThrownBy(() -> OffsetPlan.of("t", ranges, Map.of(2, 0L)))
        .hasMessageStartingWith("Invalid lost offset 0 of partition 2");
  }
}
