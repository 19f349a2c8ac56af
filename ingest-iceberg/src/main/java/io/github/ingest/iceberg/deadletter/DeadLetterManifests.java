package io.github.ingest.iceberg.deadletter;

import io.github.ingest.batch.BatchState;
import io.github.ingest.batch.RunFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.GenericManifestFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;

/**
 * A batch's dead-letter manifest: the list of its dead-letter files, written next to the
 * dead-letter table's metadata and named after its run, and carried in the target table's batch
 * state as Base64 until the dead-letter table adopts it.
 */
public final class DeadLetterManifests {

  private DeadLetterManifests() {}

  /**
   * Writes a manifest listing {@code files}, next to {@code deadLetters}' metadata, and returns its
   * encoding for a target snapshot summary.
   */
  public static String write(Table deadLetters, List<DataFile> files, BatchState batch) {
    // named after its run, as the batch's data files are: maintenance tells an orphan by its name
    String location =
        ((HasTableOperations) deadLetters)
            .operations()
            .metadataFileLocation(RunFiles.deadLetterManifest(batch));
    ManifestWriter<DataFile> writer =
        ManifestFiles.write(deadLetters.spec(), deadLetters.io().newOutputFile(location));
    try {
      try {
        files.forEach(writer::add);
      } finally {
        writer.close();
      }
      return Base64.getEncoder().encodeToString(ManifestFiles.encode(writer.toManifestFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the dead-letter manifest " + location, e);
    }
  }

  /** The first file of {@code manifest}, or the manifest itself, that does not exist; or null. */
  static String missingFile(FileIO io, ManifestFile manifest) {
    if (!exists(io, manifest.path())) {
      return manifest.path();
    }
    // a manifest not yet in a snapshot has no snapshot id, which reading it wants
    ManifestFile readable = GenericManifestFile.copyOf(manifest).withSnapshotId(0L).build();
    try (CloseableIterable<String> paths = ManifestFiles.readPaths(readable, io)) {
      for (String path : paths) {
        if (!exists(io, path)) {
          return path;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the dead-letter manifest " + manifest.path(), e);
    }
    return null;
  }

  private static boolean exists(FileIO io, String path) {
    try {
      return io.newInputFile(path).exists();
    } catch (NotFoundException e) {
      return false; // in-memory and some other file systems say so at once
    }
  }

  static ManifestFile decode(String manifest, BatchState batch) {
    try {
      return ManifestFiles.decode(Base64.getDecoder().decode(manifest));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot decode the dead-letter manifest of " + batch, e);
    }
  }
}
