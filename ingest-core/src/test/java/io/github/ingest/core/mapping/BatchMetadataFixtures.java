package io.github.ingest.core.mapping;

import io.github.ingest.core.batch.BatchMetadata;
import java.time.Instant;

/** Batch metadata shared by tests. */
final class BatchMetadataFixtures {

  static final BatchMetadata BATCH =
      BatchMetadata.builder()
          .number(1)
          .start(Instant.parse("2026-11-23T10:00:00.000001Z"))
          .sourceEndpoint("broker:9092")
          .clientId("ingest")
          .sourceName("sessions")
          .build();

  private BatchMetadataFixtures() {}
}
