package io.github.ingest.iceberg;

import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.catalog.Namespace;

/** Real catalogs for tests in the same JVM: Iceberg's JDBC catalog on a SQLite file. */
public final class TestCatalogs {

  private TestCatalogs() {}

  /** A catalog whose files live in memory, with the namespace {@code lake}. */
  public static ReleasingJdbcCatalog inMemory(Path dir) {
    return start(properties(dir, "memory://warehouse", true));
  }

  /** A catalog whose files live in {@code dir/warehouse}, with the namespace {@code lake}. */
  public static ReleasingJdbcCatalog onDisk(Path dir) {
    return start(properties(dir, dir.resolve("warehouse").toUri().toString(), false));
  }

  /** The properties of {@link #onDisk}, for a loader that tasks open on their own. */
  public static Map<String, String> onDiskProperties(Path dir) {
    return properties(dir, dir.resolve("warehouse").toUri().toString(), false);
  }

  private static Map<String, String> properties(Path dir, String warehouse, boolean inMemory) {
    String uri = "jdbc:sqlite:" + dir.resolve("catalog.db");
    return inMemory
        ? Map.of(
            "uri", uri,
            "warehouse", warehouse,
            "io-impl", "org.apache.iceberg.inmemory.InMemoryFileIO")
        : Map.of("uri", uri, "warehouse", warehouse);
  }

  private static ReleasingJdbcCatalog start(Map<String, String> properties) {
    ReleasingJdbcCatalog catalog = new ReleasingJdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize("ingest", properties);
    catalog.createNamespace(Namespace.of("lake"));
    return catalog;
  }
}
