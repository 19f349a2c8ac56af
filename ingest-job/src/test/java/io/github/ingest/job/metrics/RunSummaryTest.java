package io.github.ingest.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ingest.batch.BatchState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

  private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

  private static RunSummary committed() {
    RunSummary summary = new RunSummary("lake.t", "topic/with slash", "g", START);
    summary.source("kafka://c/topic?group=g");
    summary.batch(7);
    summary.committed(
        new CommittedBatch(
            BatchState.builder()
                .source("kafka://c/topic?group=g")
                .number(7)
                .batchTimestamp("2026-12-02T10:00:00.000000")
                .logFileName("2026-12-02_10-00-00.log")
                .offsets(Map.of(0, 0L), Map.of(0, 10L))
                .counts(8, 2, 0, 3)
                .build(),
            42L,
            "topic 0:[0, 10)",
            1,
            1,
            1,
            1000,
            "by writer, as ...",
            2_000_000_000L,
            "job-1",
            "BATCH"));
    summary.lag(Map.of(1, 5L, 0, 0L));
    summary.routing("by partition", "an estimated 1.9 MiB ... a file");
    return summary.end(Outcome.COMMITTED, 0, START.plusMillis(2500), null);
  }

  @Test
  void aCommittedRunIsAllItsFiguresInJson() throws Exception {
    JsonNode json = new ObjectMapper().readTree(committed().toJson());
    assertThat(json.get("outcome").asText()).isEqualTo("committed");
    assertThat(json.get("batch").asLong()).isEqualTo(7);
    assertThat(json.get("snapshot_id").asLong()).isEqualTo(42);
    assertThat(json.get("records_rejected").asLong()).isEqualTo(2);
    assertThat(json.get("records_duplicates").asLong()).isEqualTo(3);
    assertThat(json.get("records_read").asLong()).isEqualTo(13);
    assertThat(json.get("lag").get("1").asLong()).isEqualTo(5);
    assertThat(json.get("routing").asText()).isEqualTo("by partition");
    assertThat(json.get("routing_reason").asText()).isEqualTo("an estimated 1.9 MiB ... a file");
    assertThat(json.get("duration_seconds").asDouble()).isEqualTo(2.5);
    assertThat(json.get("last_success_at").asText()).isEqualTo("2026-12-02T10:00:02.500Z");
    assertThat(json.has("message")).isFalse();
  }

  @Test
  void aFailedRunHasNoSuccessTimeAndKeepsItsMessage() throws Exception {
    RunSummary summary = new RunSummary("lake.t", "t", "g", START);
    summary.end(Outcome.FAILED, 3, START.plusSeconds(1), "Kafka \"down\"");
    JsonNode json = new ObjectMapper().readTree(summary.toJson());
    assertThat(json.get("exit_code").asInt()).isEqualTo(3);
    assertThat(json.get("message").asText()).isEqualTo("Kafka \"down\"");
    assertThat(json.has("last_success_at")).isFalse();
    assertThat(json.has("lag")).isFalse();
    assertThat(json.has("batch")).isFalse();
    assertThat(json.has("routing")).isFalse();
    assertThat(Pushgateway.text(summary))
        .contains("ingest_run_exit_code 3\n")
        .doesNotContain("ingest_last_success_timestamp_seconds")
        .doesNotContain("ingest_lag_records");
  }

  @Test
  void thePushIsTextFormatUnderAnEncodedGroup() {
    String text = Pushgateway.text(committed());
    assertThat(text)
        .contains("# TYPE ingest_run_records_read gauge\ningest_run_records_read 13\n")
        .contains("ingest_run_records_duplicates 3\n")
        .contains("ingest_batch_number 7\n")
        .contains("ingest_run_duration_seconds 2.500\n")
        .contains("ingest_last_success_timestamp_seconds 1796205602.500\n")
        .contains("ingest_lag_records{partition=\"0\"} 0\ningest_lag_records{partition=\"1\"} 5\n");
    URI uri = new Pushgateway("http://gw:9091", "ingest").groupUri(committed());
    String topic =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("topic/with slash".getBytes(StandardCharsets.UTF_8));
    assertThat(uri.toString())
        .startsWith("http://gw:9091/metrics/job@base64/")
        .contains("/topic@base64/" + topic + "/group@base64/");
  }
}
