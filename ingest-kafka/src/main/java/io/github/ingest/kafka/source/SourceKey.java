package io.github.ingest.kafka.source;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The key that identifies a Kafka source across runs: the Kafka cluster, the topic and the consumer
 * group. Batches are counted per key. The cluster is named by its id, so another spelling of the
 * same brokers ({@code localhost} for {@code 127.0.0.1}, one broker more or less) is the same
 * source; the topic's id is kept with the state, so a recreated topic is noticed.
 */
public final class SourceKey {

  private SourceKey() {}

  /**
   * {@code kafka://<cluster id>/balance_changes?group=ingest}. A cluster that reports no id is
   * named by its bootstrap servers, trimmed and sorted.
   */
  public static String of(String clusterId, String bootstrapServers, String topic, String groupId) {
    String cluster =
        clusterId != null && !clusterId.isEmpty() ? clusterId : servers(bootstrapServers);
    return "kafka://" + cluster + "/" + topic + "?group=" + groupId;
  }

  /**
   * {@code kafka://a:9092,b:9092/balance_changes?group=ingest}, the key of releases before cluster
   * ids: the servers are trimmed and sorted.
   */
  public static String of(String bootstrapServers, String topic, String groupId) {
    return of(null, bootstrapServers, topic, groupId);
  }

  private static String servers(String bootstrapServers) {
    return Arrays.stream(bootstrapServers.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .sorted()
        .collect(Collectors.joining(","));
  }
}
