package io.github.ingest.batch;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The key that identifies a Kafka source across runs: the Kafka cluster, the topic and the consumer
 * group. Batches are counted per key. The cluster is named by its id, so another spelling of the
 * same brokers ({@code localhost} for {@code 127.0.0.1}, one broker more or less) is the same
 * source; the topic's id is kept with the state, so a recreated topic is noticed. Releases before
 * cluster ids named the cluster by its bootstrap servers; {@link #matches} finds their batches.
 */
public final class SourceKey {

  private static final String KAFKA = "kafka://";

  private SourceKey() {}

  /**
   * {@code kafka://<cluster id>/balance_changes?group=ingest}. A cluster that reports no id is
   * named by its bootstrap servers, trimmed and sorted.
   */
  public static String of(String clusterId, String bootstrapServers, String topic, String groupId) {
    String cluster =
        clusterId != null && !clusterId.isEmpty() ? clusterId : servers(bootstrapServers);
    return KAFKA + cluster + "/" + topic + "?group=" + groupId;
  }

  /**
   * {@code kafka://a:9092,b:9092/balance_changes?group=ingest}, the key of releases before cluster
   * ids: the servers are trimmed and sorted.
   */
  public static String of(String bootstrapServers, String topic, String groupId) {
    return of(null, bootstrapServers, topic, groupId);
  }

  /**
   * Whether a batch recorded under {@code recorded} (and, from format 3 on, {@code recordedId}, the
   * key by cluster id; null if none) is a batch of {@code source}: the same key, or, for a key by
   * cluster id, a key by servers of an earlier release with the same topic and group.
   */
  static boolean matches(String source, String recorded, String recordedId) {
    if (recordedId != null) {
      return source.equals(recordedId) || source.equals(recorded);
    }
    if (source.equals(recorded)) {
      return true;
    }
    return !isServerKey(source) && isServerKey(recorded) && path(source).equals(path(recorded));
  }

  /**
   * Whether {@code source} names its cluster by bootstrap servers ({@code host:port}), as releases
   * before cluster ids did, rather than by the cluster's id.
   */
  static boolean isServerKey(String source) {
    int slash = source.indexOf('/', KAFKA.length());
    return source.startsWith(KAFKA)
        && slash > 0
        && source.substring(KAFKA.length(), slash).contains(":");
  }

  /** The topic and group part of a source key: {@code /topic?group=g}. */
  private static String path(String source) {
    int slash = source.indexOf('/', KAFKA.length());
    return slash < 0 ? source : source.substring(slash);
  }

  private static String servers(String bootstrapServers) {
    return Arrays.stream(bootstrapServers.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .sorted()
        .collect(Collectors.joining(","));
  }
}
