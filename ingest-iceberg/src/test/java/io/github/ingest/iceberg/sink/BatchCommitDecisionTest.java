package io.github.ingest.iceberg.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.batch.testing.TestBatches;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.iceberg.TestCatalog;
import io.github.ingest.iceberg.TestTables;
import io.github.ingest.iceberg.batch.BatchFormat;
import io.github.ingest.iceberg.batch.BatchGuard;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.util.ArrayList;
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
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.util.SnapshotUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The commit decision against a real Iceberg table (a JDBC catalog on SQLite, files in memory):
 * what the next batch continues after, and whether a commit goes through, after what runs and
 * operators do to the table.
 */
class BatchCommitDecisionTest {

  private static final String SOURCE = "kafka://cluster-1/topic?group=ingest";
  private static final String LEGACY = "kafka://127.0.0.1:9092/topic?group=ingest";

  @RegisterExtension final TestCatalog store = TestCatalog.inMemory();

  private ReleasingJdbcCatalog catalog;
  private Table table;
  private final AtomicInteger files = new AtomicInteger();

  @BeforeEach
  void createTable() {
    catalog = store.catalog();
    table = TestTables.ids(catalog, "t");
  }

  @Test
  void aNewSourceStartsAtOneAndEachBatchContinuesAfterTheLast() {
    assertThat(position().last()).isEmpty();
    assertThat(position().nextNumber()).isEqualTo(1);
    assertThat(position().startOffsets()).isEmpty();

    BatchState first = commitNext(10);
    BatchState second = commitNext(20);

    BatchLedger.Position position = position();
    assertThat(position.last()).contains(second);
    assertThat(position.rolledBack()).isFalse();
    assertThat(position.nextNumber()).isEqualTo(3);
    assertThat(position.startOffsets()).contains(Map.of(0, 20L));
    assertThat(position.origin()).isEqualTo(first.startOffsets());
    assertThat(table.properties()).containsKey(StateCodec.propertyKey(SOURCE));
  }

  @Test
  void theCommitOfABatchThatIsInTheTableAlreadyCommitsNothing() {
    BatchLedger.Position planned = position();
    BatchState batch = batch(planned, 10);
    commit(batch, planned);
    table.refresh();
    long snapshot = table.currentSnapshot().snapshotId();

    // the committer runs again (a restart, or a retry after a lost answer) with the same batch
    BatchGuard again = guard(batch, planned);
    BatchCommitter.commit(table, again, batch, List.of(dataFile()), Map.of(), Failpoints.NONE);

    table.refresh();
    assertThat(again.alreadyCommitted()).isTrue();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshot);
    assertThat(count(table.snapshots())).isEqualTo(1);
    assertThat(BatchLedger.landed(table, SOURCE, batch.runId())).isTrue();
  }

  @Test
  void aBatchThatAnotherRunCommittedSincePlanningIsRejected() {
    BatchLedger.Position planned = position();
    BatchState mine = batch(planned, 10);
    BatchState theirs = batch(planned, 12);
    commit(theirs, planned);

    BatchGuard guard = guard(mine, planned);
    assertThatThrownBy(
            () ->
                BatchCommitter.commit(
                    table, guard, mine, List.of(dataFile()), Map.of(), Failpoints.NONE))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Cannot commit batch 1 of " + SOURCE)
        .hasMessageContaining("it was planned a new source, but the table is now after batch 1")
        .hasMessageContaining("another run committed since this one planned");
    table.refresh();
    assertThat(guard.uncertain()).isFalse();
    assertThat(count(table.snapshots())).isEqualTo(1);
    assertThat(BatchLedger.landed(table, SOURCE, mine.runId())).isFalse();
    assertThat(position().last().map(BatchState::runId)).contains(theirs.runId());
  }

  @Test
  void anAppendOfAnotherWriterSqueezedInIsNoConflict() {
    commitNext(10);
    BatchLedger.Position planned = position();
    BatchState mine = batch(planned, 20);
    table.newAppend().appendFile(dataFile()).commit();

    commit(mine, planned);

    assertThat(position().last().map(BatchState::runId)).contains(mine.runId());
    assertThat(count(table.snapshots())).isEqualTo(3);
  }

  @Test
  void afterARollbackTheRolledBackRangeIsReadAgainUnderANewNumber() {
    commitNext(10);
    BatchState second = commitNext(20);
    commitNext(30);
    table.manageSnapshots().rollbackTo(snapshotOf(second).snapshotId()).commit();

    BatchLedger.Position position = position();
    assertThat(position.rolledBack()).isTrue();
    assertThat(position.after()).contains(second);
    assertThat(position.nextNumber()).isEqualTo(4);
    assertThat(position.startOffsets()).contains(Map.of(0, 20L));

    BatchState fourth = commitNext(30);
    assertThat(fourth.number()).isEqualTo(4);
    assertThat(position().rolledBack()).isFalse();
    assertThat(position().nextNumber()).isEqualTo(5);
  }

  @Test
  void afterARollbackPastTheFirstBatchReadingStartsAtTheFirstBatchsStart() {
    table.newAppend().appendFile(dataFile()).commit();
    table.refresh();
    long beforeAny = table.currentSnapshot().snapshotId();
    commitNext(10);
    commitNext(20);
    table.manageSnapshots().rollbackTo(beforeAny).commit();

    BatchLedger.Position position = position();
    assertThat(position.rolledBack()).isTrue();
    assertThat(position.after()).isEmpty();
    assertThat(position.startOffsets()).contains(Map.of(0, 0L));
    assertThat(position.nextNumber()).isEqualTo(3);
  }

  @Test
  void maintenanceThatExpiresEveryBatchSnapshotKeepsThePosition() {
    commitNext(10);
    BatchState second = commitNext(20);
    table.rewriteManifests().rewriteIf(manifest -> true).commit();
    table.newAppend().appendFile(dataFile()).commit();
    table.refresh();
    table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
    table.refresh();
    assertThat(count(table.snapshots())).isEqualTo(1);

    BatchLedger.Position position = position();
    assertThat(position.rolledBack()).isFalse();
    assertThat(position.last()).contains(second);
    assertThat(position.nextNumber()).isEqualTo(3);
    assertThat(position.startOffsets()).contains(Map.of(0, 20L));
  }

  @Test
  void aTableOfAnEarlierReleaseIsReadFromItsHistoryAndCarriedForward() {
    BatchState legacy = batch(BatchLedger.newSource(), LEGACY, 10);
    var append = table.newAppend().appendFile(dataFile());
    StateCodec.toSummary(legacy).forEach(append::set);
    append.commit();
    table.refresh();

    BatchLedger.Position position = position();
    assertThat(position.last()).contains(legacy);
    assertThat(position.nextNumber()).isEqualTo(2);
    assertThat(position.startOffsets()).contains(Map.of(0, 10L));

    BatchState next = commitNext(15);
    assertThat(next.number()).isEqualTo(2);
    assertThat(StateCodec.fromJson(table.properties().get(StateCodec.propertyKey(SOURCE))))
        .containsEntry("ingest.batch.number", "2");
    assertThat(position().startOffsets()).contains(Map.of(0, 15L));
  }

  @Test
  void anotherSourceInTheSameTableIsCountedApart() {
    commitNext(10);
    String other = "kafka://cluster-1/other?group=ingest";
    BatchLedger.Position planned = BatchLedger.position(table, other);
    assertThat(planned.nextNumber()).isEqualTo(1);
    commit(batch(planned, other, 5), planned);
    assertThat(position().nextNumber()).isEqualTo(2);
    assertThat(BatchLedger.position(table, other).nextNumber()).isEqualTo(2);
  }

  @Test
  void theFirstReleaseFindsTheNewestBatchUnderItsKeyAndContinuesAfterIt() {
    BatchLedger.Position planned = position();
    BatchState mine = batch(planned, 10).toBuilder().serverKey(LEGACY).build();
    commit(mine, planned);

    // the first release's rule: the newest snapshot of the current history whose ingest.source
    // is its key, from which it reads the number and the stop offsets
    Snapshot found = null;
    for (Snapshot snapshot :
        SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
      if (LEGACY.equals(snapshot.summary().get("ingest.source"))) {
        found = snapshot;
        break;
      }
    }
    assertThat(found).isNotNull();
    assertThat(found.summary())
        .containsEntry("ingest.batch.number", "1")
        .containsEntry("ingest.offsets.stop", "0:10")
        .containsEntry("ingest.source.id", SOURCE);
    assertThat(position().last().map(BatchState::source)).contains(SOURCE);
    assertThat(position().nextNumber()).isEqualTo(2);
  }

  @Test
  void aBatchThatTheFirstReleaseCommittedAfterOursIsContinuedAfter() {
    BatchLedger.Position planned = position();
    commit(batch(planned, 10).toBuilder().serverKey(LEGACY).build(), planned);
    // the first release, downgraded to, continues after batch 1: no property, its own key
    BatchState theirs = batch(position(), LEGACY, 15);
    AppendFiles append = table.newAppend().appendFile(dataFile());
    StateCodec.toSummary(theirs.withCounts(1, 0, 0)).forEach(append::set);
    append.commit();

    BatchLedger.Position position = position();
    assertThat(position.rolledBack()).isFalse();
    assertThat(position.nextNumber()).isEqualTo(3);
    assertThat(position.startOffsets()).contains(Map.of(0, 15L));
  }

  @Test
  void aTableOfANewerFormatIsRefused() {
    commitNext(10);
    table
        .updateProperties()
        .set(StateCodec.FORMAT_VERSION, "4")
        .set(StateCodec.WRITTEN_BY, "ingest-job 9.0")
        .commit();
    table.refresh();

    assertThatThrownBy(() -> BatchFormat.check(table, current()))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("Cannot use table ingest.lake.t: its batch state is in format 4,")
        .hasMessageContaining("written by ingest-job 9.0")
        .hasMessageContaining("knows formats up to 3");
    assertThat(
            ((IngestException) catchThrowable(() -> BatchFormat.check(table, current())))
                .exitCode())
        .isEqualTo(ExitCode.BAD_CONFIG);
  }

  @Test
  void eachCommitRecordsTheFormat() {
    commitNext(10);
    assertThat(table.properties())
        .containsEntry(StateCodec.FORMAT_VERSION, "3")
        .containsEntry(StateCodec.WRITTEN_BY, BatchFormat.release());
    BatchFormat.check(table, current());
  }

  @Test
  void aTableWithRowsButNoStateOfTheSourceIsRefusedUnlessAccepted() {
    commitNext(10);
    // the state property removed, and the batch's snapshot expired behind another engine's
    table.updateProperties().remove(StateCodec.propertyKey(SOURCE)).commit();
    table.newAppend().appendFile(dataFile()).commit();
    table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
    table.refresh();
    assertThat(position().last()).isEmpty();

    long current = table.currentSnapshot().snapshotId();
    assertThatThrownBy(() -> BatchLedger.checkNewSource(table, SOURCE, ""))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("Cannot start " + SOURCE + " as a new source on table")
        .hasMessageContaining("the table holds 2 rows but no batch state of this source")
        .hasMessageEndingWith("set table.accept-new-source=" + current);
    assertThatThrownBy(() -> BatchLedger.checkNewSource(table, SOURCE, "12345"))
        .isInstanceOf(IngestException.class);
    BatchLedger.checkNewSource(table, SOURCE, Long.toString(current));
  }

  @Test
  void anEmptyTableTakesANewSource() {
    BatchLedger.checkNewSource(table, SOURCE, "");
    table.newAppend().commit();
    table.refresh();
    BatchLedger.checkNewSource(table, SOURCE, "");
  }

  @Test
  void aDeduplicatedBatchIsRejectedWhenRowsWereAddedAfterItsKeysWereRead() {
    commitNext(10);
    table.refresh();
    long keysRead = table.currentSnapshot().snapshotId();
    BatchLedger.Position planned = position();
    BatchState mine = batch(planned, 20);
    // another writer, or a run of another source, appends rows
    table.newAppend().appendFile(dataFile()).commit();

    BatchGuard guard = guard(mine, planned).keysReadAt(keysRead);
    assertThatThrownBy(
            () ->
                BatchCommitter.commit(
                    table, guard, mine, List.of(dataFile()), Map.of(), Failpoints.NONE))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("Cannot commit batch 2 of " + SOURCE)
        .hasMessageContaining(
            "(append: 1 rows added, 0 deleted) changed the table after this run read its"
                + " business keys from snapshot "
                + keysRead);
    assertThat(BatchLedger.landed(table, SOURCE, mine.runId())).isFalse();
  }

  @Test
  void aDeduplicatedBatchIsRejectedWhenRowsWereDeletedAfterItsKeysWereRead() {
    commitNext(10);
    table.refresh();
    long keysRead = table.currentSnapshot().snapshotId();
    BatchLedger.Position planned = position();
    BatchState mine = batch(planned, 20);
    // another writer deletes the row a duplicate of the batch was left out for
    table
        .newDelete()
        .deleteFile(table.currentSnapshot().addedDataFiles(table.io()).iterator().next())
        .commit();

    BatchGuard guard = guard(mine, planned).keysReadAt(keysRead);
    assertThatThrownBy(
            () ->
                BatchCommitter.commit(
                    table, guard, mine, List.of(dataFile()), Map.of(), Failpoints.NONE))
        .hasMessageContaining("(delete: 0 rows added, 1 deleted) changed the table");
  }

  @Test
  void aDeduplicatedBatchCommitsAfterACompactionThatAddedNoKey() {
    commitNext(10);
    table.refresh();
    long keysRead = table.currentSnapshot().snapshotId();
    BatchLedger.Position planned = position();
    BatchState mine = batch(planned, 20);
    java.util.Set<DataFile> small = new java.util.HashSet<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(small::add);
    table.newRewrite().rewriteFiles(small, java.util.Set.of(dataFile())).commit();

    BatchCommitter.commit(
        table,
        guard(mine, planned).keysReadAt(keysRead),
        mine,
        List.of(dataFile()),
        Map.of(),
        Failpoints.NONE);

    table.refresh();
    assertThat(BatchLedger.landed(table, SOURCE, mine.runId())).isTrue();
  }

  @Test
  void aDeduplicatedBatchIsRejectedWhenTheTableWasRolledBackAfterItsKeysWereRead() {
    commitNext(10);
    table.refresh();
    long first = table.currentSnapshot().snapshotId();
    commitNext(20);
    table.refresh();
    long keysRead = table.currentSnapshot().snapshotId();
    BatchLedger.Position planned = position();
    BatchState mine = batch(planned, 30);
    table.manageSnapshots().rollbackTo(first).commit();

    BatchGuard guard = guard(mine, planned).keysReadAt(keysRead);
    assertThatThrownBy(
            () ->
                BatchCommitter.commit(
                    table, guard, mine, List.of(dataFile()), Map.of(), Failpoints.NONE))
        .isInstanceOf(ValidationException.class);
    assertThat(BatchLedger.landed(table, SOURCE, mine.runId())).isFalse();
  }

  @Test
  void aDeduplicatedFirstBatchIsRejectedWhenRowsCameIntoTheEmptyTable() {
    BatchLedger.Position planned = position();
    BatchState mine = batch(planned, 10);
    table.newAppend().appendFile(dataFile()).commit();

    BatchGuard guard = guard(mine, planned).keysReadAt(null);
    assertThatThrownBy(
            () ->
                BatchCommitter.commit(
                    table, guard, mine, List.of(dataFile()), Map.of(), Failpoints.NONE))
        .hasMessageContaining("after this run read its business keys from the empty table");
  }

  private TableMetadata current() {
    return ((HasTableOperations) table).operations().current();
  }

  private BatchLedger.Position position() {
    table.refresh();
    return BatchLedger.position(table, SOURCE);
  }

  /** Plans and commits the next batch of the source, stopping at {@code stop}. */
  private BatchState commitNext(long stop) {
    BatchLedger.Position planned = position();
    BatchState batch = batch(planned, stop);
    commit(batch, planned);
    return StateCodec.fromSummary(snapshotOf(batch).summary());
  }

  private void commit(BatchState batch, BatchLedger.Position planned) {
    BatchCommitter.commit(
        table,
        guard(batch, planned),
        batch.withCounts(1, 0, 0),
        List.of(dataFile()),
        Map.of(),
        Failpoints.NONE);
    table.refresh();
  }

  private BatchGuard guard(BatchState batch, BatchLedger.Position planned) {
    return BatchGuard.after(((HasTableOperations) table).operations(), batch, planned);
  }

  private BatchState batch(BatchLedger.Position planned, long stop) {
    return batch(planned, SOURCE, stop);
  }

  private static BatchState batch(BatchLedger.Position planned, String source, long stop) {
    BatchMetadata metadata = TestBatches.metadata(planned.nextNumber(), TestBatches.START);
    Map<Integer, Long> start = planned.startOffsets().orElse(Map.of(0, 0L));
    Map<Integer, Long> starts = Map.of(0, start.getOrDefault(0, 0L));
    return BatchState.of(source, metadata, starts, Map.of(0, stop)).toBuilder()
        .topic("topic-id-1", planned.last().isPresent() ? planned.origin() : Map.of(0, 0L))
        .build();
  }

  private Snapshot snapshotOf(BatchState batch) {
    table.refresh();
    return BatchLedger.snapshotOf(table, batch.source(), batch.runId()).orElseThrow();
  }

  private DataFile dataFile() {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("memory://warehouse/lake/t/data/f-" + files.incrementAndGet() + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(1)
        .build();
  }

  private static int count(Iterable<Snapshot> snapshots) {
    List<Snapshot> all = new ArrayList<>();
    snapshots.forEach(all::add);
    return all.size();
  }
}
