package io.github.ingest.job.config;

import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MappingFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The job's built-in mapping, the balance-change one, read from the resource {@value #RESOURCE}:
 * data of the job, not a type of the shared library. It maps messages of the {@code
 * balance_changes} topic to the table whose columns start with {@code flink_log_} (the run) and
 * {@code bln_chg_} (the change).
 *
 * <p>{@code id}, {@code playerId} and {@code timestamp} are required; every other field is
 * optional. Amounts are exact {@code decimal(29,17)}; {@code timestamp} must carry an offset and is
 * stored both as received and as a UTC timestamp with milliseconds. New tables are partitioned by
 * day of {@code bln_chg_timestamp}.
 */
public final class BalanceChanges {

  /** The resource that holds the mapping; a template for other topics' mapping files. */
  public static final String RESOURCE = "balance_changes.json";

  private static final Mapping MAPPING = load();

  private BalanceChanges() {}

  /** The mapping of SPEC's table contract, column for column. */
  public static Mapping mapping() {
    return MAPPING;
  }

  private static Mapping load() {
    try (InputStream in = BalanceChanges.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + RESOURCE);
      }
      return MappingFiles.read(in, RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
