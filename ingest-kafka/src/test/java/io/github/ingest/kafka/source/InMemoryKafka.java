package io.github.ingest.kafka.source;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@link KafkaOffsets} held in memory: one topic whose partitions have a log start, an end, and
 * visible records (each with a timestamp) among offsets that markers and aborted records take. For
 * planning rules in milliseconds, without a broker.
 */
final class InMemoryKafka implements KafkaOffsets {

  private final String topic;
  private String topicId;
  private final Map<Integer, Partition> partitions = new TreeMap<>();
  private final Map<String, Map<Integer, Long>> groups = new HashMap<>();
  boolean closed;

  /** Readers of visible records opened and not closed yet. */
  int openVisible;

  InMemoryKafka(String topic, String topicId, int partitionCount) {
    this.topic = topic;
    this.topicId = topicId;
    addPartitions(partitionCount);
  }

  /** Appends {@code count} visible records to a partition, at one second apart from epoch 0. */
  InMemoryKafka records(int partition, int count) {
    Partition p = partitions.get(partition);
    for (int i = 0; i < count; i++) {
      p.visible.put(p.end, p.end * 1000);
      p.end++;
    }
    return this;
  }

  /** Appends {@code count} offsets that deliver nothing: aborted records, transaction markers. */
  InMemoryKafka invisible(int partition, int count) {
    partitions.get(partition).end += count;
    return this;
  }

  /** Retention deletes a partition's offsets before {@code offset}. */
  InMemoryKafka deleteBefore(int partition, long offset) {
    Partition p = partitions.get(partition);
    p.logStart = offset;
    p.visible.headMap(offset).clear();
    return this;
  }

  InMemoryKafka groupAt(String groupId, int partition, long offset) {
    groups.computeIfAbsent(groupId, g -> new HashMap<>()).put(partition, offset);
    return this;
  }

  /** The topic is deleted and created again, empty, under a new id. */
  InMemoryKafka recreate(String newTopicId, int partitionCount) {
    topicId = newTopicId;
    partitions.clear();
    return addPartitions(partitionCount);
  }

  InMemoryKafka addPartitions(int count) {
    int first = partitions.size();
    for (int p = first; p < first + count; p++) {
      partitions.put(p, new Partition());
    }
    return this;
  }

  @Override
  public Topic describe(String name) {
    if (!name.equals(topic)) {
      throw new IllegalArgumentException("Cannot find Kafka topic " + name);
    }
    return new Topic(topic, topicId, partitions.size());
  }

  @Override
  public String clusterId() {
    return "cluster-1";
  }

  @Override
  public Map<Integer, Long> earliest(String name, Collection<Integer> asked) {
    Map<Integer, Long> offsets = new HashMap<>();
    asked.forEach(p -> offsets.put(p, partitions.get(p).logStart));
    return offsets;
  }

  @Override
  public Map<Integer, Long> latest(String name, Collection<Integer> asked) {
    Map<Integer, Long> offsets = new HashMap<>();
    asked.forEach(p -> offsets.put(p, partitions.get(p).end));
    return offsets;
  }

  @Override
  public Map<Integer, Long> atTimestamp(String name, Collection<Integer> asked, long millis) {
    Map<Integer, Long> offsets = new HashMap<>();
    for (int p : asked) {
      offsets.put(
          p,
          partitions.get(p).visible.entrySet().stream()
              .filter(record -> record.getValue() >= millis)
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(-1L));
    }
    return offsets;
  }

  @Override
  public Map<Integer, Long> committed(String groupId, String name) {
    return new HashMap<>(groups.getOrDefault(groupId, Map.of()));
  }

  @Override
  public void commit(String groupId, String name, Map<Integer, Long> offsets) {
    groups.computeIfAbsent(groupId, g -> new HashMap<>()).putAll(offsets);
  }

  @Override
  public Visible visible() {
    openVisible++;
    return new Visible() {
      @Override
      public long last(String name, OffsetRange range) {
        Long last = partitions.get(range.partition()).visible.lowerKey(range.stop());
        return last != null && last >= range.start() ? last : -1;
      }

      @Override
      public long first(String name, int partition, long from, long to) {
        Long first = partitions.get(partition).visible.ceilingKey(from);
        return first != null && first < to ? first : -1;
      }

      @Override
      public void close() {
        openVisible--;
      }
    };
  }

  @Override
  public void close() {
    closed = true;
  }

  private static final class Partition {
    long logStart;
    long end;

    /** Offset to timestamp of each visible record. */
    final NavigableMap<Long, Long> visible = new TreeMap<>();
  }
}
