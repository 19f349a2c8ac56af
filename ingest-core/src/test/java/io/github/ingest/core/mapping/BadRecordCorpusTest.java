package io.github.ingest.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

class BadRecordCorpusTest {

  private static final RecordMapper MAPPER =
      MappingFixtures.balanceChanges().mapper(BatchMetadataFixtures.BATCH);

  @Test
  void theBaseMessageIsGood() {
    Object[] row =
        MAPPER.map(TestRecords.of(BadRecordCorpus.BASE.getBytes(StandardCharsets.UTF_8)));
    assertThat(row).contains("63d859ff7d661-10896152", 10896152);
  }

  @Test
  void everyCaseIsRejectedWithItsKindFieldAndReason() {
    List<BadRecordCorpus.Case> cases = BadRecordCorpus.cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    assertThat(
            cases.stream()
                .map(c -> c.value == null ? "tombstone" : Arrays.toString(c.value))
                .collect(Collectors.toSet()))
        .as("distinct values")
        .hasSize(cases.size());
    SoftAssertions softly = new SoftAssertions();
    for (BadRecordCorpus.Case bad : cases) {
      RecordRejectedException rejected =
          catchThrowableOfType(
              () -> MAPPER.map(TestRecords.of(bad.value)), RecordRejectedException.class);
      if (rejected == null) {
        softly.fail("%s is not rejected", bad);
        continue;
      }
      softly
          .assertThat(rejected.kind())
          .as("kind of %s: %s", bad, rejected.getMessage())
          .isEqualTo(bad.kind);
      softly
          .assertThat(rejected.field())
          .as("field of %s: %s", bad, rejected.getMessage())
          .isEqualTo(bad.field);
      softly.assertThat(rejected.getMessage()).as("message of %s", bad).contains(bad.fragment);
      softly
          .assertThat(rejected.getMessage().length())
          .as("message length of %s", bad)
          .isLessThan(400);
    }
    softly.assertAll();
  }
}
