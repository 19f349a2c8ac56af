package io.github.ingest.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.StateCodec;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole Kafka record as data, on the real stack: JSON keys and headers, nested values, and a
 * compacted topic with tombstones, through the example mapping {@code docs/device_events.json}.
 * Every column of every row is checked against the record that was produced.
 */
@ExtendWith(LocalStackExtension.class)
class WholeRecordITCase {

  private static final Path MAPPING = Paths.get("..", "docs", "device_events.json");
  private static final String TOPIC = "device_events";
  private static final String TABLE = "lake.device_events";

  @Test
  void keysHeadersNestedValuesAndTombstonesOfACompactedTopic(LocalStack stack) throws Exception {
    try (Admin admin = stack.kafka().admin()) {
      admin
          .createTopics(
              List.of(
                  // compacted, but not before the batches read it: each key once, until deleted
                  new NewTopic(TOPIC, 2, (short) 1)
                      .configs(
                          Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "3600000"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    stack.s3().createBucket("devices");
    Path workDir = stack.newDirectory("devices-");
    Map<String, String> settings = stack.jobSettings(TOPIC, TABLE, "devices", workDir);
    settings.put("mapping", MAPPING.toAbsolutePath().toString());
    settings.remove("table");

    Map<String, Event> produced = new HashMap<>();
    Random random = new Random(15);
    int tombstones = produce(stack, random, produced, 60, 7);

    JobRunner.Result first = JobRunner.run(workDir, settings);
    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(first.stdout)
        .contains(
            (60 + tombstones)
                + " read, 60 written, 0 rejected, "
                + tombstones
                + " tombstones skipped");
    Table table = TableReader.load(settings, TABLE);
    assertEveryColumn(TableReader.rows(table), produced, 1);
    assertThat(StateCodec.fromSummary(table.currentSnapshot().summary()).tombstones())
        .isEqualTo(tombstones);

    // the next batch dead-letters its tombstones instead
    int more = produce(stack, random, produced, 10, 3);
    settings.put("tombstones.policy", "dead-letter");
    JobRunner.Result second = JobRunner.run(workDir, settings);
    assertThat(second.exitCode).as(second.toString()).isZero();
    assertThat(second.stdout)
        .contains(
            (10 + more)
                + " read, 10 written, 0 rejected, "
                + more
                + " tombstones in table "
                + TABLE
                + "_rejected");
    List<Record> rows = TableReader.rows(TableReader.load(settings, TABLE));
    assertThat(rows).hasSize(70);
    List<Record> letters = TableReader.rows(TableReader.load(settings, TABLE + "_rejected"));
    assertThat(letters).hasSize(more);
    for (Record letter : letters) {
      assertThat(letter.getField("kafka_value")).isNull();
      assertThat(letter.getField("error_kind")).isEqualTo("NO_VALUE");
      assertThat(letter.getField("kafka_key")).isNotNull();
    }
  }

  /**
   * Produces {@code count} events, then {@code deletes} tombstones of keys produced before; returns
   * the number of tombstones.
   */
  private static int produce(
      LocalStack stack, Random random, Map<String, Event> produced, int count, int deletes)
      throws Exception {
    List<byte[]> keys = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (int i = 0; i < count; i++) {
        Event event = Event.random(random, produced.size() + i);
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                TOPIC,
                null,
                event.timestamp,
                event.key.getBytes(UTF_8),
                event.value.getBytes(UTF_8),
                event.headers.entrySet().stream()
                    .map(h -> new RecordHeader(h.getKey(), h.getValue()))
                    .collect(Collectors.toList()));
        RecordMetadata sent = producer.send(record).get(30, TimeUnit.SECONDS);
        event.partition = sent.partition();
        event.offset = sent.offset();
        produced.put(sent.partition() + ":" + sent.offset(), event);
        keys.add(event.key.getBytes(UTF_8));
      }
      for (int i = 0; i < deletes; i++) {
        producer.send(new ProducerRecord<>(TOPIC, keys.get(i * 3), null)).get(30, TimeUnit.SECONDS);
      }
    }
    return deletes;
  }

  private static void assertEveryColumn(
      List<Record> rows, Map<String, Event> produced, long batch) {
    assertThat(rows).hasSize(produced.size());
    for (Record row : rows) {
      String at = row.getField("kafka_partition") + ":" + row.getField("kafka_offset");
      Event event = produced.get(at);
      assertThat(event).as("row at %s was produced", at).isNotNull();
      String where = "row at " + at;
      assertThat(row.getField("tenant")).as(where).isEqualTo(event.tenant);
      assertThat(row.getField("device_id")).as(where).isEqualTo(event.deviceId);
      assertThat(row.getField("event_id")).as(where).isEqualTo(event.id);
      assertThat(row.getField("at")).as(where).isEqualTo(event.at.atOffset(ZoneOffset.UTC));
      Record device = (Record) row.getField("device");
      if (event.os == null) {
        assertThat(device).as(where).isNull();
      } else {
        assertThat(device.getField("os")).as(where).isEqualTo(event.os);
        assertThat(device.getField("version")).as(where).isEqualTo(event.version);
        Record screen = (Record) device.getField("screen");
        if (event.width == null) {
          assertThat(screen).as(where).isNull();
        } else {
          assertThat(screen.getField("w")).as(where).isEqualTo(event.width);
          assertThat(screen.getField("h")).as(where).isNull();
        }
      }
      assertThat(row.getField("tags")).as(where).isEqualTo(event.tags);
      @SuppressWarnings("unchecked")
      List<Record> readings = (List<Record>) row.getField("readings");
      assertThat(readings).as(where).hasSize(event.readings.size());
      int i = 0;
      for (Map.Entry<String, BigDecimal> reading : event.readings.entrySet()) {
        assertThat(readings.get(i).getField("sensor")).as(where).isEqualTo(reading.getKey());
        assertThat(readings.get(i).getField("value")).as(where).isEqualTo(reading.getValue());
        i++;
      }
      assertThat(row.getField("attributes")).as(where).isEqualTo(event.attributes);
      assertThat(row.getField("payload")).as(where).isEqualTo(event.payload);
      assertThat(row.getField("trace_id"))
          .as(where)
          .isEqualTo(
              event.headers.containsKey("trace-id")
                  ? new String(event.headers.get("trace-id"), UTF_8)
                  : null);
      @SuppressWarnings("unchecked")
      Map<CharSequence, ByteBuffer> headers =
          (Map<CharSequence, ByteBuffer>) row.getField("headers");
      Map<String, String> headerText = new TreeMap<>();
      headers.forEach(
          (k, v) -> headerText.put(k.toString(), UTF_8.decode(v.duplicate()).toString()));
      Map<String, String> expectedHeaders = new TreeMap<>();
      event.headers.forEach((k, v) -> expectedHeaders.put(k, new String(v, UTF_8)));
      assertThat(headerText).as(where).isEqualTo(expectedHeaders);
      assertThat(UTF_8.decode(((ByteBuffer) row.getField("raw_key")).duplicate()).toString())
          .as(where)
          .isEqualTo(event.key);
      assertThat(row.getField("topic")).as(where).isEqualTo(TOPIC);
      assertThat(row.getField("kafka_timestamp"))
          .as(where)
          .isEqualTo(
              OffsetDateTime.ofInstant(Instant.ofEpochMilli(event.timestamp), ZoneOffset.UTC));
      assertThat(row.getField("timestamp_type")).as(where).isEqualTo("CreateTime");
      assertThat(row.getField("batch_number")).as(where).isEqualTo(batch);
    }
  }

  /** One produced event and what its row must hold. */
  private static final class Event {
    String key;
    String value;
    Map<String, byte[]> headers = new LinkedHashMap<>();
    long timestamp;
    int partition;
    long offset;
    String tenant;
    String deviceId;
    String id;
    Instant at;
    String os;
    Integer version;
    Integer width;
    List<String> tags;
    Map<String, BigDecimal> readings = new LinkedHashMap<>();
    Map<String, String> attributes;
    String payload;

    static Event random(Random random, int n) {
      Event e = new Event();
      e.tenant = random.nextBoolean() ? "eu" : "us";
      e.deviceId = "d-" + n;
      e.id = "e-" + n;
      e.at = Instant.ofEpochMilli(1_764_000_000_000L + random.nextInt(1_000_000_000));
      e.timestamp = System.currentTimeMillis();
      e.key = "{\"tenant\":\"" + e.tenant + "\",\"device\":\"" + e.deviceId + "\"}";
      StringBuilder json = new StringBuilder("{\"id\":\"" + e.id + "\",\"at\":\"" + e.at + "\"");
      if (random.nextInt(4) > 0) {
        e.os = random.nextBoolean() ? "android" : "ios";
        e.version = random.nextBoolean() ? random.nextInt(20) : null;
        json.append(",\"device\":{\"os\":\"").append(e.os).append('"');
        if (e.version != null) {
          json.append(",\"version\":").append(e.version);
        }
        if (random.nextBoolean()) {
          e.width = 320 + random.nextInt(2000);
          json.append(",\"screen\":{\"w\":").append(e.width).append('}');
        }
        json.append(",\"vendor\":\"ignored\"}");
      }
      if (random.nextInt(3) > 0) {
        e.tags = new ArrayList<>();
        json.append(",\"tags\":[");
        int tags = random.nextInt(4);
        for (int t = 0; t < tags; t++) {
          String tag = t == 1 && random.nextBoolean() ? null : "t" + random.nextInt(9);
          e.tags.add(tag);
          json.append(t == 0 ? "" : ",").append(tag == null ? "null" : "\"" + tag + "\"");
        }
        json.append(']');
      }
      json.append(",\"readings\":[");
      int readings = random.nextInt(3);
      for (int r = 0; r < readings; r++) {
        BigDecimal value = BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, 3);
        e.readings.put("s" + r, value);
        json.append(r == 0 ? "" : ",")
            .append("{\"sensor\":\"s")
            .append(r)
            .append("\",\"value\":")
            .append(value.toPlainString())
            .append('}');
      }
      json.append(']');
      if (random.nextBoolean()) {
        e.attributes = new LinkedHashMap<>();
        e.attributes.put("color", random.nextBoolean() ? "red" : "blue");
        e.attributes.put("note", null);
        json.append(",\"attributes\":{\"color\":\"")
            .append(e.attributes.get("color"))
            .append("\",\"note\":null}");
      }
      List<String> payloads =
          Arrays.asList("{\"a\": [1, 2.50], \"b\": {\"c\": null}}", "[ 1,2 ]", "\"x\"", "12.500");
      e.payload = random.nextInt(5) == 0 ? null : payloads.get(random.nextInt(payloads.size()));
      if (e.payload != null) {
        json.append(",\"payload\": ").append(e.payload);
      }
      e.value = json.append('}').toString();
      if (random.nextInt(3) > 0) {
        e.headers.put("trace-id", ("trace-" + n).getBytes(UTF_8));
      }
      if (random.nextBoolean()) {
        e.headers.put("source", "app".getBytes(UTF_8));
      }
      return e;
    }
  }
}
