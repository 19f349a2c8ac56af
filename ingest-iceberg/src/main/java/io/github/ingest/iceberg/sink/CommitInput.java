package io.github.ingest.iceberg.sink;

import io.github.ingest.core.internal.RecordCounts;
import java.io.Serializable;
import org.apache.iceberg.io.WriteResult;

/** What the committer receives: a writer's files for the target or dead-letter table, or counts. */
final class CommitInput implements Serializable {

  private static final long serialVersionUID = 1L;

  enum Kind {
    ROWS,
    DEAD_LETTERS,
    COUNTS
  }

  final Kind kind;
  final WriteResult files;
  final RecordCounts counts;

  private CommitInput(Kind kind, WriteResult files, RecordCounts counts) {
    this.kind = kind;
    this.files = files;
    this.counts = counts;
  }

  static CommitInput files(Kind kind, WriteResult files) {
    return new CommitInput(kind, files, null);
  }

  static CommitInput counts(RecordCounts counts) {
    return new CommitInput(Kind.COUNTS, null, counts);
  }
}
