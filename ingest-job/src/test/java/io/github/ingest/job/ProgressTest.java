package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void saysDoneOfPlannedShareRateAndTimeLeft() {
    Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()), 20_000, 0);
    assertThat(progress.line(12_345, 3 * SECOND))
        .isEqualTo("  progress: 12,345 of 20,000 records (61%), 4,115 records/s, ETA 2 s");
    assertThat(progress.line(0, SECOND))
        .isEqualTo("  progress: 0 of 20,000 records (0%), 0 records/s, ETA unknown");
    // transaction markers take offsets: the planned count is an upper bound
    assertThat(progress.line(25_000, 5 * SECOND))
        .isEqualTo("  progress: 25,000 of 20,000 records (100%), 5,000 records/s, ETA 0 s");
  }

  @Test
  void printsALineOnlyWhenTheCountMoved() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10, 0);
    progress.update(0, SECOND);
    progress.update(0, 2 * SECOND);
    progress.update(5, 3 * SECOND);
    progress.update(5, 4 * SECOND);
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "  progress: 0 of 10 records (0%), 0 records/s, ETA unknown",
            "  progress: 5 of 10 records (50%), 2 records/s, ETA 3 s");
  }

  @Test
  void measuresTheRateFromTheFirstCountOnSoStartUpDoesNotSlowTheEstimate() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1000, 0);
    progress.update(100, 10 * SECOND);
    progress.update(500, 12 * SECOND);
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "  progress: 100 of 1,000 records (10%), 10 records/s, ETA 90 s",
            "  progress: 500 of 1,000 records (50%), 200 records/s, ETA 3 s");
  }
}
