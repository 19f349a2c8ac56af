package io.github.ingest.job.stack;

import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.job.config.JobConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Reads a table the job wrote, as an analyst's engine would: through the catalog and S3. */
public final class TableReader {

  private TableReader() {}

  /** The catalog that a job run with {@code settings} uses, as an operator would load it. */
  public static Catalog catalog(Map<String, String> settings) {
    JobConf conf = JobConf.resolve(settings);
    return Catalogs.loader(conf.catalogName(), conf.catalogProperties()).loadCatalog();
  }

  /** The table that a job run with {@code settings} writes. */
  public static Table load(Map<String, String> settings) {
    JobConf conf = JobConf.resolve(settings);
    Catalog catalog = Catalogs.loader(conf.catalogName(), conf.catalogProperties()).loadCatalog();
    return catalog.loadTable(conf.table());
  }

  /**
   * The table {@code name} (namespace.name) of the catalog a job run with {@code settings} uses.
   */
  public static Table load(Map<String, String> settings, String name) {
    JobConf conf = JobConf.resolve(settings);
    Catalog catalog = Catalogs.loader(conf.catalogName(), conf.catalogProperties()).loadCatalog();
    return catalog.loadTable(TableIdentifier.parse(name));
  }

  /** Whether the catalog a job run with {@code settings} uses has the table {@code name}. */
  public static boolean exists(Map<String, String> settings, String name) {
    JobConf conf = JobConf.resolve(settings);
    Catalog catalog = Catalogs.loader(conf.catalogName(), conf.catalogProperties()).loadCatalog();
    return catalog.tableExists(TableIdentifier.parse(name));
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
