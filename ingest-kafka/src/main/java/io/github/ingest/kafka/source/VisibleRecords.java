package io.github.ingest.kafka.source;

import java.time.Duration;
import java.util.Collections;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Finds the records a {@code read_committed} consumer sees in a range of offsets: transaction
 * markers, aborted records and compaction gaps take offsets but deliver nothing.
 */
final class VisibleRecords implements KafkaOffsets.Visible {

  private static final long FIRST_WINDOW = 64;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration timeout;

  VisibleRecords(Properties kafkaProperties, Duration timeout) {
    Properties properties = new Properties();
    properties.putAll(kafkaProperties);
    properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    properties.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.timeout = timeout;
  }

  /** The last offset in {@code range} with a visible record, or -1. Reads backwards in windows. */
  @Override
  public long last(String topic, OffsetRange range) {
    long window = FIRST_WINDOW;
    long stop = range.stop();
    while (stop > range.start()) {
      long from = Math.max(range.start(), stop - window);
      long last = scan(topic, range.partition(), from, stop, false);
      if (last >= 0) {
        return last;
      }
      stop = from;
      window *= 8;
    }
    return -1;
  }

  /** The first offset in {@code [from, to)} of {@code partition} with a visible record, or -1. */
  @Override
  public long first(String topic, int partition, long from, long to) {
    return scan(topic, partition, from, to, true);
  }

  /** Reads {@code [from, to)}: the first visible offset, or the last; -1 for none. */
  private long scan(String topic, int partition, long from, long to, boolean first) {
    TopicPartition topicPartition = new TopicPartition(topic, partition);
    consumer.assign(Collections.singleton(topicPartition));
    consumer.seek(topicPartition, from);
    long found = -1;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (consumer.position(topicPartition, timeout) < to) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "Cannot read offsets [%d, %d) of partition %d of topic %s within %d s",
                from, to, partition, topic, timeout.getSeconds()));
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() < to) {
          if (first) {
            return record.offset();
          }
          found = Math.max(found, record.offset());
        }
      }
    }
    return found;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
