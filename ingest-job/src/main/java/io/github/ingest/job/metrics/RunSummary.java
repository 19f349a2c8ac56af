package io.github.ingest.job.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.ingest.batch.BatchState;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The figures of one run, for schedulers and monitoring: what it committed, where the source stands
 * after it, how long it took and how it ended. A run fills it in as it learns them; what it never
 * learned (a run that could not reach Kafka has no lag) stays absent.
 */
public final class RunSummary {

  private static final JsonFactory JSON = new JsonFactory();

  private final String table;
  private final String topic;
  private final String group;
  private final Instant started;
  private String source;
  private Long batch;
  private CommittedBatch committed;
  private SortedMap<Integer, Long> lag;
  private String routing;
  private String routingReason;
  private Outcome outcome;
  private int exitCode;
  private Instant ended;
  private String message;

  public RunSummary(String table, String topic, String group, Instant started) {
    this.table = table;
    this.topic = topic;
    this.group = group;
    this.started = started;
  }

  /** The source key, once Kafka told the cluster id. */
  public void source(String sourceKey) {
    this.source = sourceKey;
  }

  /** The batch: the one committed, or, with nothing new, the newest one in the table. */
  public void batch(long number) {
    this.batch = number;
  }

  /** The batch, once it is committed. */
  public void committed(CommittedBatch batch) {
    this.committed = batch;
  }

  /** How the batch's rows reached the writers, and why. */
  public void routing(String kind, String reason) {
    this.routing = kind;
    this.routingReason = reason;
  }

  /** The offsets, per partition, between the table's position and each partition's end. */
  public void lag(Map<Integer, Long> offsetsBehind) {
    this.lag = Collections.unmodifiableSortedMap(new TreeMap<>(offsetsBehind));
  }

  /** How the run ended; {@code failure} is the line it printed, or null. */
  public RunSummary end(Outcome how, int code, Instant at, String failure) {
    this.outcome = how;
    this.exitCode = code;
    this.ended = at;
    this.message = failure;
    return this;
  }

  public String table() {
    return table;
  }

  public String topic() {
    return topic;
  }

  public String group() {
    return group;
  }

  public Optional<Long> batch() {
    return Optional.ofNullable(batch);
  }

  /** The batch this run committed; empty unless it committed one. */
  public Optional<CommittedBatch> committed() {
    return Optional.ofNullable(committed);
  }

  /** {@code count} of the committed batch; 0 if this run committed none. */
  long count(ToLongFunction<BatchState> count) {
    return committed == null ? 0 : count.applyAsLong(committed.state());
  }

  /** Offsets behind per partition; empty if the run never learned them. */
  public SortedMap<Integer, Long> lag() {
    return lag == null ? Collections.emptySortedMap() : lag;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** Whether the run did its job: committed a batch, or found nothing new. */
  public boolean succeeded() {
    return outcome == Outcome.COMMITTED || outcome == Outcome.NOTHING_NEW;
  }

  public int exitCode() {
    return exitCode;
  }

  public Instant ended() {
    return ended;
  }

  public double durationSeconds() {
    return Duration.between(started, ended).toMillis() / 1000.0;
  }

  /** The summary as one JSON object, for {@code --summary-json}. */
  public String toJson() {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("outcome", outcome.toString());
      json.writeNumberField("exit_code", exitCode);
      json.writeStringField("table", table);
      json.writeStringField("topic", topic);
      json.writeStringField("group", group);
      if (source != null) {
        json.writeStringField("source", source);
      }
      if (batch != null) {
        json.writeNumberField("batch", batch);
      }
      if (committed != null) {
        json.writeNumberField("snapshot_id", committed.snapshotId());
      }
      json.writeNumberField("records_read", count(BatchState::read));
      json.writeNumberField("records_written", count(BatchState::written));
      json.writeNumberField("records_rejected", count(BatchState::rejected));
      json.writeNumberField("records_tombstones", count(BatchState::tombstones));
      json.writeNumberField("records_duplicates", count(BatchState::duplicates));
      if (routing != null) {
        json.writeStringField("routing", routing);
        json.writeStringField("routing_reason", routingReason);
      }
      if (lag != null) {
        json.writeObjectFieldStart("lag");
        for (Map.Entry<Integer, Long> partition : lag.entrySet()) {
          json.writeNumberField(String.valueOf(partition.getKey()), partition.getValue());
        }
        json.writeEndObject();
      }
      json.writeStringField("started_at", started.toString());
      json.writeStringField("ended_at", ended.toString());
      json.writeNumberField("duration_seconds", durationSeconds());
      if (succeeded()) {
        json.writeStringField("last_success_at", ended.toString());
      }
      if (message != null) {
        json.writeStringField("message", message);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString() + "\n";
  }
}
