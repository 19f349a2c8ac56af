package io.github.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The source keys batches are recorded under, byte for byte: other releases look them up. */
class SourceKeyGoldenTest {

  @Test
  void aKeyNamesTheClusterByIdOrElseByItsSortedServers() {
    assertThat(SourceKey.of("cluster-1", "b:9092, a:9092", "balance_changes", "ingest"))
        .isEqualTo("kafka://cluster-1/balance_changes?group=ingest");
    assertThat(SourceKey.of("", " b:9092, a:9092,", "balance_changes", "ingest"))
        .isEqualTo("kafka://a:9092,b:9092/balance_changes?group=ingest");
    assertThat(SourceKey.of("b:9092,a:9092", "balance_changes", "ingest"))
        .isEqualTo("kafka://a:9092,b:9092/balance_changes?group=ingest");
  }
}
