package io.github.ingest.kafka.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planning rules about records a {@code read_committed} consumer does not see (aborted records,
 * transaction markers, compaction gaps): capped ranges widened to the next visible record, and
 * ranges cut after their last one. Each asks its questions on one reader of visible records, and
 * closes it.
 */
final class VisibleRanges {

  private static final Logger LOG = LoggerFactory.getLogger(VisibleRanges.class);

  private VisibleRanges() {}

  /**
   * Ranges that a cap cut short but that hold no visible record (only aborted records, transaction
   * markers or compaction gaps) reach up to the next visible record, or to the end: otherwise every
   * run would find such a window empty, report nothing new and never move on.
   */
  static List<OffsetRange> widenCapped(
      KafkaOffsets kafka, String topic, List<OffsetRange> ranges, Map<Integer, Long> end) {
    List<OffsetRange> widened = new ArrayList<>();
    KafkaOffsets.Visible records = null;
    try {
      for (OffsetRange range : ranges) {
        long logEnd = end.get(range.partition());
        if (range.stop() >= logEnd) {
          widened.add(range);
          continue;
        }
        if (records == null) {
          records = kafka.visible();
        }
        if (!range.isEmpty() && records.last(topic, range) >= 0) {
          widened.add(range);
          continue;
        }
        long next = records.first(topic, range.partition(), range.stop(), logEnd);
        long stop = next < 0 ? logEnd : next + 1;
        LOG.info(
            "Partition {}: no record in the capped range {}, reading up to offset {}",
            range.partition(),
            range,
            stop);
        widened.add(OffsetRange.of(range.partition(), range.start(), stop));
      }
    } finally {
      if (records != null) {
        records.close();
      }
    }
    return widened;
  }

  /**
   * {@code plan}'s ranges cut after their last visible record (see {@link OffsetPlanner#visible}).
   */
  static OffsetPlan cut(KafkaOffsets kafka, OffsetPlan plan) {
    if (plan.isEmpty()) {
      return plan;
    }
    List<OffsetRange> ranges = new ArrayList<>();
    try (KafkaOffsets.Visible records = kafka.visible()) {
      for (OffsetRange range : plan.ranges()) {
        long last = range.isEmpty() ? -1 : records.last(plan.topic(), range);
        ranges.add(
            OffsetRange.of(range.partition(), range.start(), Math.max(range.start(), last + 1)));
      }
    }
    return OffsetPlan.of(plan.topic(), ranges).withTopicId(plan.topicId());
  }
}
