package io.github.ingest.iceberg.sink;

import io.github.ingest.core.batch.BadRecordPolicy;
import io.github.ingest.core.batch.BatchState;
import io.github.ingest.core.batch.RecordCounts;
import io.github.ingest.core.fault.Failpoints;
import io.github.ingest.iceberg.deadletter.DeadLetterTables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
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
 * rejected), fails the batch if there are more bad records than the policy allows, commits all data
 * files as one snapshot of the target table, guarded against concurrent batches, with the batch's
 * state in the summary, and then the batch's dead letters to their table. Parallelism 1.
 */
final class BatchCommitter extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<CommitInput, Void>, BoundedOneInput {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

  private final TableLoader tableLoader;
  private final TableLoader deadLetterLoader;
  private final BatchState batch;
  private final BadRecordPolicy policy;

  private transient List<DataFile> dataFiles;
  private transient List<DataFile> deadLetterFiles;
  private transient RecordCounts counts;

  BatchCommitter(
      TableLoader tableLoader,
      TableLoader deadLetterLoader,
      BatchState batch,
      BadRecordPolicy policy) {
    this.tableLoader = tableLoader;
    this.deadLetterLoader = deadLetterLoader;
    this.batch = batch;
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
    long written = records(dataFiles);
    long deadLettered = records(deadLetterFiles);
    try {
      reconcile(written, deadLettered);
    } catch (RuntimeException e) {
      deleteQuietly(table.io(), dataFiles);
      if (deadLetters != null) {
        deleteQuietly(deadLetters.io(), deadLetterFiles);
      }
      throw e;
    }
    BatchState committed = batch.withCounts(written, counts.rejected());
    AppendFiles append =
        new BaseTable(
                BatchGuard.after(((HasTableOperations) table).operations(), batch, true),
                table.name())
            .newAppend();
    dataFiles.forEach(append::appendFile);
    committed.toSummary().forEach(append::set);
    String manifest = null;
    if (!deadLetterFiles.isEmpty()) {
      manifest = DeadLetterTables.writeManifest(deadLetters, deadLetterFiles, batch.runId());
      append.set(DeadLetterTables.TABLE, deadLetters.name());
      append.set(DeadLetterTables.MANIFEST, manifest);
    }
    Failpoints.reach(Failpoints.BEFORE_COMMIT);
    try {
      append.commit();
    } catch (ValidationException | CommitFailedException e) {
      // certainly not committed: the files are nobody's
      deleteQuietly(table.io(), dataFiles);
      if (deadLetters != null) {
        deleteQuietly(deadLetters.io(), deadLetterFiles);
      }
      throw e;
    }
    LOG.info(
        "Committed {}: {} records in {} data files to table {}",
        committed,
        written,
        dataFiles.size(),
        table.name());
    if (manifest != null) {
      Failpoints.reach(Failpoints.BEFORE_DEAD_LETTERS);
      DeadLetterTables.adopt(deadLetters, committed, manifest);
    }
  }

  private void reconcile(long written, long deadLettered) {
    if (counts.read() != written + counts.rejected()) {
      throw new IllegalStateException(
          String.format(
              "Counts do not reconcile: %d read, but %d written and %d rejected",
              counts.read(), written, counts.rejected()));
    }
    if (deadLetterLoader != null && deadLettered != counts.rejected()) {
      throw new IllegalStateException(
          String.format(
              "Counts do not reconcile: %d rejected, but %d dead letters written",
              counts.rejected(), deadLettered));
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
