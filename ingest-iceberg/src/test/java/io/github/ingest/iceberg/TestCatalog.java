package io.github.ingest.iceberg;

import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real catalog for each test, in a directory of its own, closed and deleted after the test:
 * {@code @RegisterExtension final TestCatalog store = TestCatalog.onDisk();}.
 */
public final class TestCatalog implements BeforeEachCallback, AfterEachCallback {

  private final boolean inMemory;
  private Path dir;
  private ReleasingJdbcCatalog catalog;

  private TestCatalog(boolean inMemory) {
    this.inMemory = inMemory;
  }

  /**
   * Tables whose files live in the test's directory, readable by loaders of {@link #properties}.
   */
  public static TestCatalog onDisk() {
    return new TestCatalog(false);
  }

  /** Tables whose files live in memory. */
  public static TestCatalog inMemory() {
    return new TestCatalog(true);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("test-catalog-");
    catalog = inMemory ? TestCatalogs.inMemory(dir) : TestCatalogs.onDisk(dir);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      catalog.close();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** The catalog, with the namespace {@code lake}. */
  public ReleasingJdbcCatalog catalog() {
    return catalog;
  }

  /** The test's directory: the catalog database, and the warehouse of an on-disk catalog. */
  public Path dir() {
    return dir;
  }

  /** The catalog's properties, for a loader that tasks open on their own. */
  public Map<String, String> properties() {
    return TestCatalogs.onDiskProperties(dir);
  }
}
