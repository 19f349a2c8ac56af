package io.github.ingest.iceberg.batch;

import io.github.ingest.batch.StateCodec;
import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.UpdateProperties;

/**
 * Which format of batch state a table holds, so that a release never misreads a table that a newer
 * one wrote. Each batch commit records {@value StateCodec#FORMAT_VERSION} and {@value
 * StateCodec#WRITTEN_BY}; a release refuses a table whose format is newer than it knows.
 *
 * <ul>
 *   <li>1: the first release, snapshot summaries only, keyed by bootstrap servers;
 *   <li>2: the source's state as a table property, keyed by the Kafka cluster's id;
 *   <li>3: as 2, with the summary's {@code ingest.source} keyed by bootstrap servers again (the key
 *       by cluster id in {@code ingest.source.id}), so the first release continues after the newest
 *       batch instead of reading it again; and the {@link RunFence} of maintenance.
 * </ul>
 *
 * Formats 1 and 2 record no version: a table without the property holds one of them, which this
 * release reads.
 */
public final class BatchFormat {

  /** The format this release writes, and the newest it reads. */
  public static final int VERSION = 3;

  private BatchFormat() {}

  /** This release, as {@value StateCodec#WRITTEN_BY} records it. */
  public static String release() {
    String version = BatchFormat.class.getPackage().getImplementationVersion();
    return "ingest-job " + (version == null ? "(development build)" : version);
  }

  /** Records this release's format in the commit that {@code update} belongs to. */
  public static void stamp(UpdateProperties update) {
    update
        .set(StateCodec.FORMAT_VERSION, Integer.toString(VERSION))
        .set(StateCodec.WRITTEN_BY, release());
  }

  /**
   * Checks that this release knows the format of {@code table}'s batch state.
   *
   * @throws IngestException with {@link ExitCode#BAD_CONFIG} if a newer release wrote it
   */
  public static void check(Table table, TableMetadata metadata) {
    String recorded = metadata.properties().get(StateCodec.FORMAT_VERSION);
    if (recorded == null) {
      return;
    }
    int version;
    try {
      version = Integer.parseInt(recorded.trim());
    } catch (NumberFormatException e) {
      version = Integer.MAX_VALUE;
    }
    if (version > VERSION) {
      throw new IngestException(
          ExitCode.BAD_CONFIG,
          String.format(
              "Cannot use table %s: its batch state is in format %s, written by %s; this release"
                  + " (%s) knows formats up to %d and could misread it. Run that release or a"
                  + " newer one",
              table.name(),
              recorded,
              metadata.properties().getOrDefault(StateCodec.WRITTEN_BY, "a newer release"),
              release(),
              VERSION));
    }
  }
}
