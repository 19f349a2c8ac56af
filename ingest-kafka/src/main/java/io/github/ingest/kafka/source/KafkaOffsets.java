package io.github.ingest.kafka.source;

import java.util.Collection;
import java.util.Map;

/**
 * The questions planning asks a Kafka cluster, and the one thing it tells it, by partition number:
 * the offsets as a {@code read_committed} consumer sees them. {@link AdminOffsets} asks a cluster;
 * {@link OffsetPlanner} turns the answers into a plan, and so can be tested on answers held in
 * memory.
 */
public interface KafkaOffsets extends AutoCloseable {

  /** What a topic is: its name, id ({@code ""} if the brokers report none) and partition count. */
  final class Topic {
    private final String name;
    private final String id;
    private final int partitions;

    public Topic(String name, String id, int partitions) {
      this.name = name;
      this.id = id;
      this.partitions = partitions;
    }

    public String name() {
      return name;
    }

    /** The topic's id, which changes when the topic is deleted and created again. */
    public String id() {
      return id;
    }

    /** How many partitions it has, numbered from 0. */
    public int partitions() {
      return partitions;
    }
  }

  /**
   * The topic's id and partitions.
   *
   * @throws IllegalArgumentException if there is no such topic
   */
  Topic describe(String topic);

  /** The Kafka cluster's id; null if the brokers report none. */
  String clusterId();

  /** Each partition's first offset (its log start). */
  Map<Integer, Long> earliest(String topic, Collection<Integer> partitions);

  /** Each partition's end: the offset after its last stable one. */
  Map<Integer, Long> latest(String topic, Collection<Integer> partitions);

  /**
   * Each partition's first offset whose record has a timestamp at or after {@code millis}; -1 where
   * there is none.
   */
  Map<Integer, Long> atTimestamp(String topic, Collection<Integer> partitions, long millis);

  /** The offsets consumer group {@code groupId} committed for partitions of {@code topic}. */
  Map<Integer, Long> committed(String groupId, String topic);

  /** Commits {@code offsets} as the group's offsets of {@code topic}. */
  void commit(String groupId, String topic, Map<Integer, Long> offsets);

  /**
   * A reader of the records a {@code read_committed} consumer sees, open until closed: planning
   * opens one for its questions about aborted records and transaction markers, and closes it.
   */
  Visible visible();

  /** Where the visible records are among a partition's offsets. */
  interface Visible extends AutoCloseable {

    /** The offset of the last visible record in {@code range}; -1 if it has none. */
    long last(String topic, OffsetRange range);

    /** The offset of the first visible record in {@code [from, to)} of a partition; -1 if none. */
    long first(String topic, int partition, long from, long to);

    @Override
    void close();
  }

  @Override
  void close();
}
