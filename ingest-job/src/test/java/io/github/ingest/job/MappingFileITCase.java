package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Another topic, another table: the unchanged job with only a mapping file. */
@ExtendWith(LocalStackExtension.class)
class MappingFileITCase {

  /** The example mapping the README documents. */
  private static final Path SESSIONS = Paths.get("..", "docs", "player_sessions.json");

  @Test
  void ingestsPlayerSessionsWithTheExampleMappingFile(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "player_sessions", 2);
    source.settings.remove("table");
    source.settings.put("mapping", SESSIONS.toAbsolutePath().toString());
    List<Session> sessions = produceSessions(source, 120, false);

    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout)
        .contains("committed to lake.player_sessions")
        .contains("120 read, 120 written");
    Table table = TableReader.load(source.settings, "lake.player_sessions");
    assertThat(table.spec().fields())
        .singleElement()
        .satisfies(f -> assertThat(f.name()).isEqualTo("started_at_day"));
    assertThat(table.properties()).containsEntry("write.metadata.previous-versions-max", "50");
    List<Record> rows = TableReader.rows(table);
    assertThat(rows).hasSize(sessions.size());
    Map<String, Session> byId = new HashMap<>();
    sessions.forEach(s -> byId.put(s.id, s));
    for (Record row : rows) {
      Session session = byId.remove((String) row.getField("session_id"));
      assertThat(session).as("a produced session for %s", row).isNotNull();
      assertThat(row.getField("batch_number")).isEqualTo(1L);
      assertThat((String) row.getField("log_file_name")).endsWith(".log");
      assertThat(row.getField("kafka_partition")).isEqualTo(session.partition);
      assertThat(row.getField("kafka_offset")).isEqualTo(session.offset);
      assertThat(row.getField("player_id")).isEqualTo(session.playerId);
      assertThat(row.getField("country")).isEqualTo(session.country);
      assertThat(row.getField("device_os")).isEqualTo(session.os);
      assertThat(row.getField("is_mobile")).isEqualTo(session.mobile);
      assertThat(row.getField("started_at"))
          .isEqualTo(session.startedAt.withOffsetSameInstant(ZoneOffset.UTC));
      assertThat(row.getField("duration_ms")).isEqualTo(session.durationMs);
      assertThat(row.getField("play_date")).isEqualTo(session.playDate);
    }
    assertThat(byId).isEmpty();
  }

  @Test
  void addsANewOptionalColumnAndRejectsAnIncompatibleChange(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "sessions_evolving", 1);
    String v1 =
        Files.readString(SESSIONS, StandardCharsets.UTF_8)
            .replace("lake.player_sessions", "lake.evolving");
    String v2 =
        v1.replace(
            "{\"name\": \"play_date\", \"type\": \"date\", \"field\": \"playDate\"}",
            "{\"name\": \"play_date\", \"type\": \"date\", \"field\": \"playDate\"},\n"
                + "    {\"name\": \"stake\", \"type\": \"decimal(18,2)\", \"field\": \"stake\"}");
    assertThat(v2).contains("\"stake\"");
    Path mapping = source.workDir.resolve("sessions.json");
    source.settings.remove("table");
    source.settings.put("mapping", mapping.toString());

    Files.writeString(mapping, v1);
    List<Session> old = produceSessions(source, 10, true);
    assertThat(source.run().exitCode).isZero();

    Files.writeString(mapping, v2);
    List<Session> later = produceSessions(source, 10, true);
    JobRunner.Result evolved = source.run();

    assertThat(evolved.exitCode).as(evolved.toString()).isZero();
    assertThat(evolved.stderr)
        .contains(
            "Evolved table ingest.lake.evolving for mapping player_sessions: [added column stake decimal(18, 2)]");
    Table table = TableReader.load(source.settings, "lake.evolving");
    Map<String, Object> stakes = new HashMap<>();
    for (Record row : TableReader.rows(table)) {
      stakes.put((String) row.getField("session_id"), row.getField("stake"));
    }
    assertThat(stakes).hasSize(20);
    old.forEach(s -> assertThat(stakes.get(s.id)).as("stake of an old row").isNull());
    later.forEach(s -> assertThat(stakes.get(s.id)).as("stake of a new row").isEqualTo(s.stake));

    Files.writeString(mapping, v2.replace("\"type\": \"boolean\"", "\"type\": \"string\""));
    produceSessions(source, 1, true);
    JobRunner.Result incompatible = source.run();
    assertThat(incompatible.exitCode).as(incompatible.toString()).isEqualTo(2);
    assertThat(incompatible.stderr)
        .contains(
            "ingest: nothing started: Cannot write to table ingest.lake.evolving with mapping"
                + " player_sessions: column is_mobile is boolean in the table, string in the"
                + " mapping, which is not a safe widening");
  }

  /** A session message with the values the table must hold. */
  private static final class Session {
    String id;
    long playerId;
    String country;
    String os;
    Boolean mobile;
    OffsetDateTime startedAt;
    Long durationMs;
    LocalDate playDate;
    java.math.BigDecimal stake;
    int partition;
    long offset;

    String json(boolean withStake) {
      StringBuilder json = new StringBuilder("{");
      json.append("\"sessionId\":\"").append(id).append("\",");
      json.append("\"player\":{\"id\":").append(playerId);
      if (country != null) {
        json.append(",\"country\":\"").append(country).append('"');
      }
      json.append("},");
      json.append("\"device\":{\"os\":").append(os == null ? "null" : "\"" + os + "\"");
      json.append(",\"mobile\":").append(mobile).append("},");
      json.append("\"startedAt\":\"").append(startedAt).append("\",");
      json.append("\"durationMs\":").append(durationMs).append(',');
      json.append("\"playDate\":\"").append(playDate).append('"');
      if (withStake) {
        json.append(",\"stake\":\"").append(stake.toPlainString()).append('"');
      }
      json.append(",\"ignored\":{\"deep\":[1,2,3]}}");
      return json.toString();
    }
  }

  private static List<Session> produceSessions(Scenario source, int count, boolean withStake)
      throws Exception {
    Random random = new Random(source.topic.hashCode() + System.nanoTime());
    String[] countries = {"DE", "SE", "GB", null};
    String[] systems = {"ios", "android", "windows", null};
    List<Session> sessions = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = source.stack.kafka().producer()) {
      for (int i = 0; i < count; i++) {
        Session session = new Session();
        session.id = String.format(Locale.ROOT, "s-%08x-%d", random.nextInt(), i);
        session.playerId = 5_000_000_000L + random.nextInt(1_000_000);
        session.country = countries[random.nextInt(countries.length)];
        session.os = systems[random.nextInt(systems.length)];
        session.mobile = random.nextBoolean();
        int hours = random.nextInt(10) - 5;
        int minutes = random.nextBoolean() ? 30 : 0;
        ZoneOffset zone = ZoneOffset.ofHoursMinutes(hours, hours < 0 ? -minutes : minutes);
        session.startedAt =
            OffsetDateTime.ofInstant(
                Instant.parse("2026-03-28T00:00:00Z").plusMillis(random.nextInt(3 * 86_400_000)),
                zone);
        session.durationMs = (long) random.nextInt(10_000_000);
        session.playDate = session.startedAt.toLocalDate();
        session.stake = java.math.BigDecimal.valueOf(random.nextInt(1_000_000), 2);
        RecordMetadata sent =
            producer
                .send(
                    new ProducerRecord<>(
                        source.topic, session.json(withStake).getBytes(StandardCharsets.UTF_8)))
                .get();
        session.partition = sent.partition();
        session.offset = sent.offset();
        sessions.add(session);
      }
    }
    return sessions;
  }
}
