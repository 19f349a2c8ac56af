package io.github.ingest.kafka.source;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The key that identifies a Kafka source across runs: its topic, bootstrap servers and consumer
 * group. Batches are counted per key.
 */
public final class SourceKey {

  private SourceKey() {}

  /**
   * {@code kafka://a:9092,b:9092/balance_changes?group=ingest}; the servers are trimmed and sorted,
   * so listing them in another order names the same source.
   */
  public static String of(String bootstrapServers, String topic, String groupId) {
    String servers =
        Arrays.stream(bootstrapServers.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .sorted()
            .collect(Collectors.joining(","));
    return "kafka://" + servers + "/" + topic + "?group=" + groupId;
  }
}
