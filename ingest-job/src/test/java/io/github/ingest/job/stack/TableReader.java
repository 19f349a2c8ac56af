package io.github.ingest.job.stack;

import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.job.config.JobConf;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Reads a table the job wrote, as an analyst's engine would: through the catalog and S3. One
 * catalog per catalog configuration, kept until {@link #closeAll()} (the stack's close), so reading
 * never leaves a FileIO or a connection pool behind.
 */
public final class TableReader {

  private static final Map<String, Catalog> CATALOGS = new ConcurrentHashMap<>();

  private TableReader() {}

  /** The catalog that a job run with {@code settings} uses, as an operator would load it. */
  public static Catalog catalog(Map<String, String> settings) {
    JobConf conf = JobConf.resolve(settings);
    Map<String, String> properties = conf.tables().catalogProperties();
    return CATALOGS.computeIfAbsent(
        conf.tables().catalogName() + " " + new TreeMap<>(properties),
        key -> Catalogs.loader(conf.tables().catalogName(), properties).loadCatalog());
  }

  /** The table that a job run with {@code settings} writes. */
  public static Table load(Map<String, String> settings) {
    return catalog(settings).loadTable(JobConf.resolve(settings).tables().table());
  }

  /**
   * The table {@code name} (namespace.name) of the catalog a job run with {@code settings} uses.
   */
  public static Table load(Map<String, String> settings, String name) {
    return catalog(settings).loadTable(TableIdentifier.parse(name));
  }

  /** Whether the catalog a job run with {@code settings} uses has the table {@code name}. */
  public static boolean exists(Map<String, String> settings, String name) {
    return catalog(settings).tableExists(TableIdentifier.parse(name));
  }

  /** Closes every catalog opened so far; tables loaded from them can no longer be read. */
  public static void closeAll() {
    for (Catalog catalog : CATALOGS.values()) {
      if (catalog instanceof Closeable) {
        try {
          ((Closeable) catalog).close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    CATALOGS.clear();
  }

  /** Every row, with Iceberg's generic reader. */
  public static List<Record> rows(Table table) {
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(rows::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
