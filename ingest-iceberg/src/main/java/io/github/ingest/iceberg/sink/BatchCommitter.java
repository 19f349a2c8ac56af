package io.github.ingest.iceberg.sink;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.StateCodec;
import io.github.ingest.core.internal.BadRecordPolicy;
import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.core.internal.RecordCounts;
import io.github.ingest.iceberg.batch.BatchGuard;
import io.github.ingest.iceberg.batch.BatchLedger;
import io.github.ingest.iceberg.deadletter.DeadLetterManifests;
import io.github.ingest.iceberg.deadletter.DeadLetterTables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a batch once every writer has finished: reconciles the counts (read = written +
 * tombstones + rejected + duplicates), fails the batch if there are more bad records than the
 * policy allows, commits all data files as one snapshot of the target table together with the
 * source's state (see {@link BatchLedger}), guarded against concurrent batches, and then the
 * batch's dead letters to their table. Parallelism 1.
 *
 * <p>It may run more than once for one batch (Flink restarts a failed task): a committer that finds
 * its run's batch in the table commits nothing and only completes the dead letters. It deletes the
 * data files it was given only when it is certain that no commit of this run took effect; otherwise
 * they stay for the orphan-file clean-up, which removes only unreferenced files.
 */
final class BatchCommitter extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<CommitInput, Void>, BoundedOneInput {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

  private final TableLoader tableLoader;
  private final TableLoader deadLetterLoader;
  private final BatchState batch;
  private final BatchLedger.Position plannedFrom;
  private final BadRecordPolicy policy;
  private final Failpoints failpoints;
  private final boolean keysChecked;
  private final Long keysReadAt;

  private transient List<DataFile> dataFiles;
  private transient List<DataFile> deadLetterFiles;
  private transient RecordCounts counts;

  /**
   * A committer of {@code batch}, planned from {@code plannedFrom}; with {@code keysChecked}, one
   * that also fails the batch when anything but a rewrite changed the table after snapshot {@code
   * keysReadAt} (null: the table had none), the one its deduplication read business keys from.
   */
  BatchCommitter(
      TableLoader tableLoader,
      TableLoader deadLetterLoader,
      BatchState batch,
      BatchLedger.Position plannedFrom,
      BadRecordPolicy policy,
      Failpoints failpoints,
      boolean keysChecked,
      Long keysReadAt) {
    this.keysChecked = keysChecked;
    this.keysReadAt = keysReadAt;
    this.failpoints = failpoints;
    this.tableLoader = tableLoader;
    this.deadLetterLoader = deadLetterLoader;
    this.batch = batch;
    this.plannedFrom = plannedFrom;
    this.policy = policy;
  }

  @Override
  public void open() throws Exception {
    super.open();
    dataFiles = new ArrayList<>();
    deadLetterFiles = new ArrayList<>();
    counts = RecordCounts.NONE;
    tableLoader.open();
    if (deadLetterLoader != null) {
      deadLetterLoader.open();
    }
  }

  @Override
  public void processElement(StreamRecord<CommitInput> element) {
    CommitInput input = element.getValue();
    if (input.kind == CommitInput.Kind.COUNTS) {
      counts = counts.plus(input.counts);
      return;
    }
    if (input.files.deleteFiles().length > 0) {
      throw new IllegalStateException("Cannot commit delete files in an append-only batch");
    }
    List<DataFile> files = input.kind == CommitInput.Kind.ROWS ? dataFiles : deadLetterFiles;
    files.addAll(Arrays.asList(input.files.dataFiles()));
  }

  @Override
  public void endInput() {
    Table table = tableLoader.loadTable();
    Table deadLetters = deadLetterLoader == null ? null : deadLetterLoader.loadTable();
    if (BatchLedger.landed(table, batch.source(), batch.runId())) {
      // a committer that runs again after its commit (a task restart): the batch stands
      LOG.warn("{} of run {} is committed already; not committing it again", batch, batch.runId());
      adoptDeadLetters(table, deadLetters);
      return;
    }
    long written = records(dataFiles);
    long deadLettered = records(deadLetterFiles);
    try {
      reconcile(written, deadLettered);
    } catch (RuntimeException e) {
      deleteUncommitted(table, deadLetters);
      throw e;
    }
    BatchState committed =
        batch.withCounts(written, counts.rejected(), counts.tombstones(), counts.duplicates());
    Map<String, String> deadLetterState = new LinkedHashMap<>();
    if (!deadLetterFiles.isEmpty()) {
      deadLetterState.put(StateCodec.DEAD_LETTER_TABLE, deadLetters.name());
      deadLetterState.put(
          StateCodec.DEAD_LETTER_TABLE_UUID,
          ((HasTableOperations) deadLetters).operations().current().uuid());
      deadLetterState.put(
          StateCodec.DEAD_LETTER_MANIFEST,
          DeadLetterManifests.write(deadLetters, deadLetterFiles, batch));
    }
    BatchGuard guard =
        BatchGuard.after(((HasTableOperations) table).operations(), batch, plannedFrom);
    if (keysChecked) {
      guard.keysReadAt(keysReadAt);
    }
    try {
      checkExist(table, dataFiles);
      if (deadLetters != null) {
        checkExist(deadLetters, deadLetterFiles);
      }
      commit(table, guard, committed, dataFiles, deadLetterState, failpoints);
    } catch (ValidationException | CommitFailedException e) {
      if (getRuntimeContext().getAttemptNumber() == 0 && !guard.uncertain()) {
        // this run never committed: the files are nobody's
        deleteUncommitted(table, deadLetters);
      } else {
        LOG.warn(
            "Leaving the files of {} in place: an earlier attempt may have committed them", batch);
      }
      throw e;
    }
    LOG.info(
        "Committed {}: {} records in {} data files to table {}",
        committed,
        written,
        dataFiles.size(),
        table.name());
    failpoints.reach(Failpoints.AFTER_TABLE_COMMIT);
    String manifest = deadLetterState.get(StateCodec.DEAD_LETTER_MANIFEST);
    if (manifest != null) {
      // the files were just written: no need for the catch-up's checks of a past run's files
      failpoints.reach(Failpoints.BEFORE_DEAD_LETTERS);
      DeadLetterTables.adopt(deadLetters, committed, manifest);
    }
  }

  /**
   * Appends {@code files} to {@code table} as one snapshot that records {@code committed} and
   * {@code extraState} in its summary and the source's state property, through {@code guard}.
   */
  static void commit(
      Table table,
      BatchGuard guard,
      BatchState committed,
      List<DataFile> files,
      Map<String, String> extraState,
      Failpoints failpoints) {
    Map<String, String> state = new LinkedHashMap<>(StateCodec.toSummary(committed));
    state.putAll(extraState);
    BatchLedger.commit(
        table,
        guard,
        committed.source(),
        state,
        append -> files.forEach(append::appendFile),
        failpoints);
  }

  /**
   * Commits the dead letters that the table's state of this run's batch lists, if any, for a
   * committer that runs again after its commit: they may be in their table already.
   */
  private void adoptDeadLetters(Table table, Table deadLetters) {
    if (deadLetters == null) {
      return;
    }
    failpoints.reach(Failpoints.BEFORE_DEAD_LETTERS);
    table.refresh();
    DeadLetterTables.catchUp(table, deadLetters, batch.source(), "");
  }

  /**
   * Fails the batch, before its commit, if one of {@code files} is gone: something removed it while
   * the batch ran (an orphan-file clean-up of another tool with too short an age), and a snapshot
   * that referenced it would make the table unreadable.
   */
  private void checkExist(Table target, List<DataFile> files) {
    for (DataFile file : files) {
      if (!target.io().newInputFile(file.path().toString()).exists()) {
        throw new ValidationException(
            "Cannot commit %s: its file %s is gone (removed by an orphan-file clean-up while the"
                + " batch ran?); nothing of it is committed, and the next run reads its range"
                + " again",
            batch, file.path());
      }
    }
  }

  private void deleteUncommitted(Table table, Table deadLetters) {
    deleteQuietly(table.io(), dataFiles);
    if (deadLetters != null) {
      deleteQuietly(deadLetters.io(), deadLetterFiles);
    }
  }

  private void reconcile(long written, long deadLettered) {
    if (counts.read() != written + counts.rejected() + counts.tombstones() + counts.duplicates()) {
      throw new IllegalStateException(
          String.format(
              "Counts do not reconcile: %d read, but %d written, %d rejected, %d tombstones and"
                  + " %d duplicates left out",
              counts.read(), written, counts.rejected(), counts.tombstones(), counts.duplicates()));
    }
    if (deadLetterLoader != null && deadLettered != counts.deadLettered()) {
      throw new IllegalStateException(
          String.format(
              "Counts do not reconcile: %d records sent to the dead-letter table, but %d dead"
                  + " letters written",
              counts.deadLettered(), deadLettered));
    }
    policy
        .violation(counts)
        .ifPresent(
            message -> {
              throw new IllegalStateException(message);
            });
  }

  private static long records(List<DataFile> files) {
    return files.stream().mapToLong(DataFile::recordCount).sum();
  }

  private static void deleteQuietly(FileIO io, List<DataFile> files) {
    for (DataFile file : files) {
      try {
        io.deleteFile(file.path().toString());
      } catch (RuntimeException e) {
        LOG.warn("Cannot delete uncommitted data file {}: {}", file.path(), e.toString());
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      tableLoader.close();
      if (deadLetterLoader != null) {
        deadLetterLoader.close();
      }
    } finally {
      super.close();
    }
  }
}
