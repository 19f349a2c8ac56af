package io.github.ingest.iceberg.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.batch.testing.TestBatches;
import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.TestTables;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead letters reach their table once per run, after the target commit, against real tables (a JDBC
 * catalog on SQLite, files in memory): caught up after a crash, never brought back into a recreated
 * table, stopped with a way out when their files are gone, removed on a rollback.
 */
class DeadLetterTablesTest {

  private static final String SOURCE = "kafka://cluster-1/topic?group=ingest";
  private static final TableIdentifier DEAD_LETTERS = TableIdentifier.of("lake", "t_rejected");

  @RegisterExtension final TestCatalog store = TestCatalog.inMemory();

  private ReleasingJdbcCatalog catalog;
  private Table target;
  private Table deadLetters;
  private final AtomicInteger files = new AtomicInteger();

  @BeforeEach
  void createTables() {
    catalog = store.catalog();
    target = TestTables.ids(catalog, "t");
    deadLetters = DeadLetterTables.loadOrCreate(catalog, DEAD_LETTERS);
  }

  @Test
  void theDeadLettersOfARunThatDiedAfterItsCommitAreCaughtUpOnce() {
    BatchState batch = commitWithDeadLetters(1, 3);

    DeadLetterTables.catchUp(target, deadLetters, SOURCE, "");
    DeadLetterTables.catchUp(target, deadLetters, SOURCE, "");
    DeadLetterTables.adopt(deadLetters, batch, manifestOf(batch));

    deadLetters.refresh();
    assertThat(deadLetterSnapshots()).isEqualTo(1);
    assertThat(deadLetters.currentSnapshot().summary())
        .containsEntry("ingest.batch.run-id", batch.runId())
        .containsEntry("added-records", "3");
    assertThat(deadLetters.properties()).containsKey(StateCodec.propertyKey(SOURCE));
  }

  @Test
  void aRecreatedDeadLetterTableIsNotRefilledWithOldDeadLetters() {
    commitWithDeadLetters(1, 2);
    catalog.dropTable(DEAD_LETTERS, true);
    deadLetters = DeadLetterTables.loadOrCreate(catalog, DEAD_LETTERS);

    DeadLetterTables.catchUp(target, deadLetters, SOURCE, "");

    deadLetters.refresh();
    assertThat(deadLetters.currentSnapshot()).isNull();
  }

  @Test
  void aPendingManifestThatIsGoneStopsTheRunUntilItsRunIsAbandoned() {
    BatchState batch = commitWithDeadLetters(1, 2);
    String manifest = manifestPath(batch);
    deadLetters.io().deleteFile(manifest);

    assertThatThrownBy(() -> DeadLetterTables.catchUp(target, deadLetters, SOURCE, ""))
        .isInstanceOfSatisfying(
            IngestException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_CONFIG))
        .hasMessage(
            "Cannot add the 2 dead letters of batch 1 of %s to table ingest.lake.t_rejected:"
                + " their file %s is gone (removed by an orphan-file clean-up before they were"
                + " added?). The batch's rows are committed. To go on without these dead letters,"
                + " set dead-letters.abandon-run=%s",
            SOURCE, manifest, batch.runId());

    DeadLetterTables.catchUp(target, deadLetters, SOURCE, batch.runId());
    deadLetters.refresh();
    assertThat(deadLetters.currentSnapshot()).isNull();
  }

  @Test
  void aRollbackRemovesTheDeadLettersOfTheBatchesItUndid() {
    for (long number = 1; number <= 3; number++) {
      BatchState batch = commitWithDeadLetters(number, (int) number);
      DeadLetterTables.catchUp(target, deadLetters, SOURCE, "");
      assertThat(BatchLedger.landed(deadLetters, SOURCE, batch.runId())).isTrue();
    }

    assertThat(DeadLetterTables.rollBack(deadLetters, SOURCE, 1)).isEqualTo(5);
    assertThat(DeadLetterTables.rollBack(deadLetters, SOURCE, 1)).isZero();

    deadLetters.refresh();
    assertThat(deadLetters.currentSnapshot().summary())
        .containsEntry("total-records", "1")
        .containsEntry("ingest.rolled-back-after", "1");
  }

  /** Commits batch {@code number} to the target with {@code count} dead letters pending. */
  private BatchState commitWithDeadLetters(long number, int count) {
    BatchState batch =
        TestBatches.batch(SOURCE, number, Map.of(0, 0L), Map.of(0, 10L * number))
            .withCounts(10 - count, count, 0);
    List<DataFile> letters = List.of(deadLetterFile(count));
    Map<String, String> state = new LinkedHashMap<>(StateCodec.toSummary(batch));
    state.put(StateCodec.DEAD_LETTER_TABLE, deadLetters.name());
    state.put(
        StateCodec.DEAD_LETTER_TABLE_UUID,
        ((HasTableOperations) deadLetters).operations().current().uuid());
    state.put(
        StateCodec.DEAD_LETTER_MANIFEST, DeadLetterManifests.write(deadLetters, letters, batch));
    AppendFiles append = target.newAppend();
    state.forEach(append::set);
    append.commit();
    target
        .updateProperties()
        .set(StateCodec.propertyKey(SOURCE), StateCodec.toJson(state))
        .commit();
    target.refresh();
    return batch;
  }

  private String manifestOf(BatchState batch) {
    return StateCodec.fromJson(target.properties().get(StateCodec.propertyKey(SOURCE)))
        .get(StateCodec.DEAD_LETTER_MANIFEST);
  }

  private String manifestPath(BatchState batch) {
    try {
      return org.apache.iceberg.ManifestFiles.decode(
              java.util.Base64.getDecoder().decode(manifestOf(batch)))
          .path();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DataFile deadLetterFile(int records) {
    String path =
        "memory://warehouse/lake/t_rejected/data/f-" + files.incrementAndGet() + ".parquet";
    try {
      deadLetters.io().newOutputFile(path).create().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(path)
        .withFileSizeInBytes(100)
        .withRecordCount(records)
        .build();
  }

  private int deadLetterSnapshots() {
    int count = 0;
    for (Snapshot ignored : deadLetters.snapshots()) {
      count++;
    }
    return count;
  }
}
