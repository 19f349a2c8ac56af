package io.github.ingest.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordCountsTest {

  @Test
  void theCountsOfTheMappersAndOfDeduplicationAddUp() {
    RecordCounts mapped = RecordCounts.of(100, 3, 2, 5, "first bad");
    RecordCounts deduplicated = RecordCounts.deduplicated(10, 1, 11, "conflict");

    RecordCounts total = mapped.plus(deduplicated);

    assertThat(total.read()).isEqualTo(100);
    assertThat(total.rejected()).isEqualTo(4);
    assertThat(total.tombstones()).isEqualTo(2);
    assertThat(total.duplicates()).isEqualTo(10);
    assertThat(total.deadLettered()).isEqualTo(16);
    assertThat(total.firstRejection()).isEqualTo("first bad");
    assertThat(RecordCounts.NONE.plus(deduplicated).firstRejection()).isEqualTo("conflict");
    assertThat(total).hasToString("100 read, 4 rejected, 2 tombstones, 10 duplicates");
  }

  @Test
  void deduplicationCannotDeadLetterMoreThanItLeftOut() {
    assertThatThrownBy(() -> RecordCounts.deduplicated(2, 1, 4, null))
        .hasMessage("Invalid counts: 2 duplicates, 1 rejected, 4 dead letters");
    assertThatThrownBy(() -> RecordCounts.deduplicated(-1, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
