package io.github.ingest.iceberg.dedup;

import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * A table's files as plain {@link InputFile}s. Iceberg reads a Hadoop file's Parquet through
 * Hadoop's read options, which need Hadoop's MapReduce classes that the job does not ship (they
 * matter only to a warehouse in a local directory); any other input file is read through Iceberg's
 * own streams, as S3 files always are.
 */
final class PlainFiles implements FileIO {

  private static final long serialVersionUID = 1L;

  private final FileIO io;

  PlainFiles(FileIO io) {
    this.io = io;
  }

  @Override
  public InputFile newInputFile(String path) {
    InputFile file = io.newInputFile(path);
    return new InputFile() {
      @Override
      public long getLength() {
        return file.getLength();
      }

      @Override
      public SeekableInputStream newStream() {
        return file.newStream();
      }

      @Override
      public String location() {
        return file.location();
      }

      @Override
      public boolean exists() {
        return file.exists();
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String path) {
    throw new UnsupportedOperationException("Deduplication writes no file: " + path);
  }

  @Override
  public void deleteFile(String path) {
    throw new UnsupportedOperationException("Deduplication deletes no file: " + path);
  }
}
