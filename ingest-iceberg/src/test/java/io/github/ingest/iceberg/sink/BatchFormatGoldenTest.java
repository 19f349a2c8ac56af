package io.github.ingest.iceberg.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.RunFiles;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.TestTables;
import io.github.ingest.iceberg.batch.BatchGuard;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import io.github.ingest.iceberg.deadletter.DeadLetterManifests;
import io.github.ingest.iceberg.deadletter.DeadLetterTables;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a batch writes into its tables, byte for byte: the snapshot summary, the state property, the
 * names of its files. Other releases read these values (older ones continue after our batches,
 * newer ones read ours), so any change here is a change of the table format, never a refactoring.
 */
class BatchFormatGoldenTest {

  private static final String RUN_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

  private static final String SUMMARY =
      "{ingest.source=kafka://b:9092,a:9092/balance_changes?group=ingest,"
          + " ingest.source.id=kafka://cluster-1/balance_changes?group=ingest,"
          + " ingest.batch.number=3,"
          + " ingest.batch.timestamp=2026-11-23T10:00:00.123456,"
          + " ingest.batch.log-file-name=2026-11-23_10-00-00.log,"
          + " ingest.batch.run-id=0f8fad5b-d9cb-469f-a165-70867728950e,"
          + " ingest.offsets.start=0:10,1:0,"
          + " ingest.offsets.stop=0:20,1:5,"
          + " ingest.offsets.lost-from=0:4,"
          + " ingest.records.read=15,"
          + " ingest.records.written=12,"
          + " ingest.records.rejected=2,"
          + " ingest.records.tombstones=1,"
          + " ingest.kafka.topic-id=AAAAAAAAAAAAAAAAAAAAAQ,"
          + " ingest.offsets.origin=0:0,1:0}";

  private static final String PROPERTY =
      "{\"ingest.source\":\"kafka://b:9092,a:9092/balance_changes?group=ingest\","
          + "\"ingest.source.id\":\"kafka://cluster-1/balance_changes?group=ingest\","
          + "\"ingest.batch.number\":\"3\","
          + "\"ingest.batch.timestamp\":\"2026-11-23T10:00:00.123456\","
          + "\"ingest.batch.log-file-name\":\"2026-11-23_10-00-00.log\","
          + "\"ingest.batch.run-id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\","
          + "\"ingest.offsets.start\":\"0:10,1:0\","
          + "\"ingest.offsets.stop\":\"0:20,1:5\","
          + "\"ingest.offsets.lost-from\":\"0:4\","
          + "\"ingest.records.read\":\"15\","
          + "\"ingest.records.written\":\"12\","
          + "\"ingest.records.rejected\":\"2\","
          + "\"ingest.records.tombstones\":\"1\","
          + "\"ingest.kafka.topic-id\":\"AAAAAAAAAAAAAAAAAAAAAQ\","
          + "\"ingest.offsets.origin\":\"0:0,1:0\"}";

  @RegisterExtension final TestCatalog store = TestCatalog.onDisk();

  private ReleasingJdbcCatalog catalog;

  @BeforeEach
  void startCatalog() {
    catalog = store.catalog();
  }

  /** Batch 3 of a source keyed by cluster id, written for the first release too, with a run id. */
  static BatchState state() {
    BatchMetadata batch =
        BatchMetadata.builder()
            .number(3)
            .start(Instant.parse("2026-11-23T10:00:00.123456789Z"))
            .sourceEndpoint("b:9092,a:9092")
            .clientId("ingest")
            .sourceName("balance_changes")
            .build();
    BatchState made =
        BatchState.of(
                "kafka://cluster-1/balance_changes?group=ingest",
                batch,
                Map.of(1, 0L, 0, 10L),
                Map.of(0, 20L, 1, 5L))
            .toBuilder()
            .topic("AAAAAAAAAAAAAAAAAAAAAQ", Map.of(0, 0L, 1, 0L))
            .serverKey("kafka://b:9092,a:9092/balance_changes?group=ingest")
            .lostFrom(Map.of(0, 4L))
            .counts(12, 2, 1)
            .build();
    Map<String, String> summary = StateCodec.toSummary(made);
    summary.put("ingest.batch.run-id", RUN_ID);
    return StateCodec.fromSummary(summary);
  }

  @Test
  void aStateIsTheSameSummaryAndPropertyAsEver() {
    BatchState state = state();
    assertThat(StateCodec.toSummary(state).toString()).isEqualTo(SUMMARY);
    assertThat(StateCodec.toJson(StateCodec.toSummary(state))).isEqualTo(PROPERTY);
    assertThat(StateCodec.fromSummary(StateCodec.fromJson(PROPERTY))).isEqualTo(state);
    assertThat(StateCodec.propertyKey(state.source()))
        .isEqualTo("ingest.state.kafka://cluster-1/balance_changes?group=ingest");
  }

  @Test
  void theFilesOfARunAreNamedAsEver() {
    assertThat(RunFiles.prefix(state()))
        .isEqualTo("2026-11-23_10-00-00-0f8fad5b-d9cb-469f-a165-70867728950e");
    RunFiles.Run run =
        RunFiles.runOf(
                "2026-11-23_10-00-00-0f8fad5b-d9cb-469f-a165-70867728950e-00000-0-1-00001.parquet")
            .orElseThrow();
    assertThat(run.id()).isEqualTo(RUN_ID);
    assertThat(run.startSecond()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    assertThat(RunFiles.runOf("00000-0-1-00001.parquet")).isEmpty();
  }

  @Test
  void aCommittedBatchWritesTheSameSummaryAndPropertiesIntoBothTables() throws Exception {
    Table target = table("t");
    Table deadLetters = DeadLetterTables.loadOrCreate(catalog, TableIdentifier.of("lake", "t_dl"));
    BatchState state = state();
    String manifest =
        DeadLetterManifests.write(deadLetters, List.of(file(deadLetters, "dl")), state);
    Map<String, String> deadLetterState = new LinkedHashMap<>();
    deadLetterState.put(StateCodec.DEAD_LETTER_TABLE, deadLetters.name());
    deadLetterState.put(StateCodec.DEAD_LETTER_TABLE_UUID, "uuid-of-the-dead-letter-table");
    deadLetterState.put(StateCodec.DEAD_LETTER_MANIFEST, manifest);

    BatchCommitter.commit(
        target,
        BatchGuard.after(
            ((HasTableOperations) target).operations(), state, BatchLedger.newSource()),
        state,
        List.of(file(target, "rows")),
        deadLetterState,
        Failpoints.NONE);
    DeadLetterTables.adopt(deadLetters, state, manifest);

    target.refresh();
    String withDeadLetters =
        SUMMARY.substring(0, SUMMARY.length() - 1)
            + ", ingest.dead-letters.table=ingest.lake.t_dl,"
            + " ingest.dead-letters.table-uuid=uuid-of-the-dead-letter-table,"
            + " ingest.dead-letters.manifest="
            + manifest
            + "}";
    assertThat(ingestKeys(target.currentSnapshot().summary())).isEqualTo(sorted(withDeadLetters));
    assertThat(target.properties())
        .containsEntry("ingest.format-version", "3")
        .containsEntry("ingest.written-by", "ingest-job (development build)")
        .containsEntry(
            "ingest.state.kafka://cluster-1/balance_changes?group=ingest",
            PROPERTY.substring(0, PROPERTY.length() - 1)
                + ",\"ingest.dead-letters.table\":\"ingest.lake.t_dl\""
                + ",\"ingest.dead-letters.table-uuid\":\"uuid-of-the-dead-letter-table\""
                + ",\"ingest.dead-letters.manifest\":\""
                + manifest
                + "\"}");
    assertThat(
            target.properties().keySet().stream().filter(key -> key.startsWith("ingest.")).count())
        .isEqualTo(3);

    deadLetters.refresh();
    assertThat(ingestKeys(deadLetters.currentSnapshot().summary())).isEqualTo(sorted(SUMMARY));
    assertThat(deadLetters.properties())
        .containsEntry("ingest.format-version", "3")
        .containsEntry("ingest.state.kafka://cluster-1/balance_changes?group=ingest", PROPERTY);
    assertThat(ManifestFiles.decode(Base64.getDecoder().decode(manifest)).path())
        .endsWith(
            "/t_dl/metadata/2026-11-23_10-00-00-0f8fad5b-d9cb-469f-a165-70867728950e"
                + "-dead-letters.avro");
  }

  private Table table(String name) {
    return TestTables.ids(catalog, name);
  }

  private static DataFile file(Table table, String name) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(table.location() + "/data/" + name + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(1)
        .build();
  }

  private static Map<String, String> ingestKeys(Map<String, String> summary) {
    Map<String, String> kept = new TreeMap<>();
    summary.forEach(
        (key, value) -> {
          if (key.startsWith("ingest.")) {
            kept.put(key, value);
          }
        });
    return kept;
  }

  /** The entries of a summary's {@code toString()}, sorted by key. */
  private static Map<String, String> sorted(String text) {
    Map<String, String> entries = new TreeMap<>();
    for (String entry : text.substring(1, text.length() - 1).split(", ")) {
      int equals = entry.indexOf('=');
      entries.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return entries;
  }
}
