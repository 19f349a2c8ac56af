package io.github.ingest.iceberg.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleasingJdbcCatalogTest {

  private static final int STARTS = 6;

  @TempDir Path dir;

  @Test
  void catalogsStartingTogetherOnANewSqliteFileAllStart() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(STARTS);
    try {
      for (int round = 0; round < 5; round++) {
        Map<String, String> properties = properties("catalog-" + round + ".db");
        CyclicBarrier together = new CyclicBarrier(STARTS);
        List<Future<ReleasingJdbcCatalog>> starts = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
          starts.add(
              pool.submit(
                  () -> {
                    ReleasingJdbcCatalog catalog = new ReleasingJdbcCatalog();
                    together.await();
                    catalog.initialize("ingest", properties);
                    return catalog;
                  }));
        }
        for (Future<ReleasingJdbcCatalog> start : starts) {
          try (ReleasingJdbcCatalog catalog = start.get()) {
            assertThat(catalog.listNamespaces()).isEmpty();
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCatalogRegistersItsLoadersDriverWhereDriverManagerHasNone() throws Exception {
    // what a TaskManager of a session cluster shows a later job: no driver of its class loader
    for (java.sql.Driver driver : java.util.Collections.list(java.sql.DriverManager.getDrivers())) {
      java.sql.DriverManager.deregisterDriver(driver);
    }
    try (ReleasingJdbcCatalog catalog = new ReleasingJdbcCatalog()) {
      catalog.initialize("ingest", properties("drivers.db"));
      assertThat(catalog.listNamespaces()).isEmpty();
    }
  }

  @Test
  void aStartedCatalogLeavesNoLockThatBlocksAnotherConnection() throws Exception {
    Map<String, String> properties = properties("catalog.db");
    try (ReleasingJdbcCatalog first = new ReleasingJdbcCatalog()) {
      first.initialize("ingest", properties);
      first.createNamespace(Namespace.of("lake"));
      try (ReleasingJdbcCatalog second = new ReleasingJdbcCatalog()) {
        second.initialize("ingest", properties);
        TableIdentifier table = TableIdentifier.of("lake", "t");
        second.createTable(
            table, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
        assertThat(first.listTables(Namespace.of("lake"))).containsExactly(table);
      }
    }
  }

  private Map<String, String> properties(String file) {
    return Map.of(
        "uri", "jdbc:sqlite:" + dir.resolve(file),
        "warehouse", "memory://warehouse",
        "io-impl", "org.apache.iceberg.inmemory.InMemoryFileIO");
  }
}
