package io.github.ingest.batch.testing;

import io.github.ingest.batch.BatchState;
import io.github.ingest.core.batch.BatchMetadata;
import java.time.Instant;
import java.util.Map;

/** Batches for tests: numbered, of one source, started at a fixed instant unless told. */
public final class TestBatches {

  /** A source keyed by its cluster's id. */
  public static final String SOURCE = "kafka://cluster-1/topic?group=ingest";

  /** When the batches start unless a test says otherwise. */
  public static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  private TestBatches() {}

  /**
   * Batch {@code number}'s metadata: started at {@code started}, from {@code topic} of a broker.
   */
  public static BatchMetadata metadata(long number, Instant started) {
    return BatchMetadata.builder()
        .number(number)
        .start(started)
        .sourceEndpoint("127.0.0.1:9092")
        .clientId("ingest")
        .sourceName("topic")
        .build();
  }

  /** Batch {@code number} of {@code source}, under a new run id, started at {@link #START}. */
  public static BatchState batch(
      String source, long number, Map<Integer, Long> starts, Map<Integer, Long> stops) {
    return BatchState.of(source, metadata(number, START), starts, stops);
  }

  /** Batch {@code number} of {@link #SOURCE}, reading partition 0 from 0 up to {@code stop}. */
  public static BatchState batch(long number, long stop) {
    return batch(SOURCE, number, Map.of(0, 0L), Map.of(0, stop));
  }
}
