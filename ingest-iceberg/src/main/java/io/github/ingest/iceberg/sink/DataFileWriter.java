package io.github.ingest.iceberg.sink;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.flink.sink.TaskWriterFactory;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.WriteResult;

/**
 * Writes its subtask's rows to data files and, at the end of its input, sends the files it wrote to
 * the committer. Files of a failed attempt are deleted, best effort, and never committed.
 */
final class DataFileWriter extends AbstractStreamOperator<CommitInput>
    implements OneInputStreamOperator<RowData, CommitInput>, BoundedOneInput {

  private static final long serialVersionUID = 1L;

  private final TaskWriterFactory<RowData> writerFactory;
  private final CommitInput.Kind kind;

  private transient TaskWriter<RowData> writer;

  DataFileWriter(TaskWriterFactory<RowData> writerFactory, CommitInput.Kind kind) {
    this.writerFactory = writerFactory;
    this.kind = kind;
    setChainingStrategy(ChainingStrategy.ALWAYS);
  }

  @Override
  public void open() throws Exception {
    super.open();
    writerFactory.initialize(
        getRuntimeContext().getIndexOfThisSubtask(), getRuntimeContext().getAttemptNumber());
    writer = writerFactory.create();
  }

  @Override
  public void processElement(StreamRecord<RowData> element) throws Exception {
    writer.write(element.getValue());
  }

  @Override
  public void endInput() throws Exception {
    WriteResult result = writer.complete();
    writer = null;
    output.collect(new StreamRecord<>(CommitInput.files(kind, result)));
  }

  @Override
  public void close() throws Exception {
    try {
      if (writer != null) {
        writer.abort();
        writer = null;
      }
    } finally {
      super.close();
    }
  }
}
