package io.github.ingest.job.metrics;

import io.github.ingest.batch.BatchState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Pushes a run's figures to a Prometheus Pushgateway, in Prometheus' text format, under the
 * grouping key job, instance (the table), topic and group.
 *
 * <p>A push is a {@code POST}: it replaces the metrics of the same names in the group and keeps the
 * others, so {@code ingest_last_success_timestamp_seconds}, pushed by successful runs only,
 * survives the failed runs after it, which is what an alert on "no success for N hours" reads. One
 * HTTP request in the JDK's client; a Prometheus client library would add jars for no more.
 */
public final class Pushgateway {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final String job;

  public Pushgateway(String url, String job) {
    String trimmed = url.trim();
    this.base = URI.create(trimmed.endsWith("/") ? trimmed : trimmed + "/");
    this.job = job;
  }

  /** The group's address: each label value base64url-encoded, so any value is safe in a path. */
  URI groupUri(RunSummary summary) {
    Map<String, String> grouping = new LinkedHashMap<>();
    grouping.put("job", job);
    grouping.put("instance", summary.table());
    grouping.put("topic", summary.topic());
    grouping.put("group", summary.group());
    StringBuilder path = new StringBuilder("metrics");
    grouping.forEach(
        (label, value) ->
            path.append('/')
                .append(label)
                .append("@base64/")
                .append(
                    value.isEmpty()
                        ? "="
                        : Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    return base.resolve(path.toString());
  }

  /**
   * Pushes {@code summary}.
   *
   * @throws IOException if the Pushgateway cannot be reached or refuses the push
   */
  public void push(RunSummary summary) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(groupUri(summary))
            .timeout(TIMEOUT)
            .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(text(summary), StandardCharsets.UTF_8))
            .build();
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while pushing to " + base, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "The Pushgateway at "
              + base
              + " answered "
              + response.statusCode()
              + ": "
              + response.body().trim());
    }
  }

  /** The figures in Prometheus' text exposition format. */
  static String text(RunSummary summary) {
    StringBuilder text = new StringBuilder();
    gauge(text, "ingest_run_exit_code", "Exit code of the last run.", summary.exitCode());
    gauge(
        text,
        "ingest_run_end_timestamp_seconds",
        "When the last run ended, in seconds since the epoch.",
        summary.ended().toEpochMilli() / 1000.0);
    gauge(
        text,
        "ingest_run_duration_seconds",
        "How long the last run took, from start to exit.",
        summary.durationSeconds());
    gauge(
        text,
        "ingest_run_records_read",
        "Records the last run committed as read (0 unless it committed a batch).",
        summary.count(BatchState::read));
    gauge(
        text,
        "ingest_run_records_written",
        "Rows the last run committed to the table.",
        summary.count(BatchState::written));
    gauge(
        text,
        "ingest_run_records_rejected",
        "Bad records of the last run's batch, skipped or dead-lettered.",
        summary.count(BatchState::rejected));
    gauge(
        text,
        "ingest_run_records_tombstones",
        "Tombstones of the last run's batch left out, skipped or dead-lettered.",
        summary.count(BatchState::tombstones));
    gauge(
        text,
        "ingest_run_records_duplicates",
        "Records of the last run's batch whose business key was written before, skipped or"
            + " dead-lettered.",
        summary.count(BatchState::duplicates));
    summary
        .batch()
        .ifPresent(
            batch ->
                gauge(
                    text,
                    "ingest_batch_number",
                    "The newest batch of the source in the table after the last run.",
                    batch));
    if (summary.succeeded()) {
      gauge(
          text,
          "ingest_last_success_timestamp_seconds",
          "When a run last committed a batch or found nothing new, in seconds since the epoch.",
          summary.ended().toEpochMilli() / 1000.0);
    }
    if (!summary.lag().isEmpty()) {
      String name = "ingest_lag_records";
      header(
          text,
          name,
          "Offsets of each partition between the table's position and the partition's end, when"
              + " the last run ended.");
      summary
          .lag()
          .forEach(
              (partition, behind) ->
                  text.append(name)
                      .append("{partition=\"")
                      .append(partition)
                      .append("\"} ")
                      .append(behind)
                      .append('\n'));
    }
    return text.toString();
  }

  private static void gauge(StringBuilder text, String name, String help, double value) {
    header(text, name, help);
    text.append(name).append(' ').append(number(value)).append('\n');
  }

  private static void header(StringBuilder text, String name, String help) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(" gauge\n");
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.3f", value);
  }
}
