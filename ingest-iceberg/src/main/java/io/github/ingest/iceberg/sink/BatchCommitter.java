package io.github.ingest.iceberg.sink;

import io.github.ingest.core.batch.BatchState;
import io.github.ingest.core.fault.Failpoints;
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
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits all data files of a batch as one Iceberg snapshot, once every writer has finished, with
 * the batch's state and record counts in the snapshot summary. Runs with parallelism 1.
 */
final class BatchCommitter extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<WriteResult, Void>, BoundedOneInput {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

  private final TableLoader tableLoader;
  private final BatchState batch;

  private transient List<DataFile> dataFiles;

  BatchCommitter(TableLoader tableLoader, BatchState batch) {
    this.tableLoader = tableLoader;
    this.batch = batch;
  }

  @Override
  public void open() throws Exception {
    super.open();
    dataFiles = new ArrayList<>();
    tableLoader.open();
  }

  @Override
  public void processElement(StreamRecord<WriteResult> element) {
    WriteResult result = element.getValue();
    if (result.deleteFiles().length > 0) {
      throw new IllegalStateException("Cannot commit delete files in an append-only batch");
    }
    dataFiles.addAll(Arrays.asList(result.dataFiles()));
  }

  @Override
  public void endInput() {
    long written = dataFiles.stream().mapToLong(DataFile::recordCount).sum();
    BatchState committed = batch.withCounts(written, 0);
    Table table = tableLoader.loadTable();
    TableOperations guarded = new BatchGuard(((HasTableOperations) table).operations(), batch);
    AppendFiles append = new BaseTable(guarded, table.name()).newAppend();
    dataFiles.forEach(append::appendFile);
    committed.toSummary().forEach(append::set);
    Failpoints.reach(Failpoints.BEFORE_COMMIT);
    try {
      append.commit();
    } catch (ValidationException | CommitFailedException e) {
      // certainly not committed: the files are nobody's
      deleteQuietly(table.io());
      throw e;
    }
    LOG.info(
        "Committed {}: {} records in {} data files to table {}",
        committed,
        written,
        dataFiles.size(),
        table.name());
  }

  private void deleteQuietly(FileIO io) {
    for (DataFile file : dataFiles) {
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
    } finally {
      super.close();
    }
  }
}
