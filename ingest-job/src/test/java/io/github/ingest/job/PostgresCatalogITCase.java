package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared catalog of a production set-up: Iceberg's JDBC catalog on a real PostgreSQL server
 * (started from the binaries Maven Central ships), with batches, racing runs and dead letters.
 */
@ExtendWith(LocalStackExtension.class)
class PostgresCatalogITCase {

  @Test
  void ingestsRacesAndDeadLettersThroughAPostgresqlCatalog(LocalStack stack) throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      Scenario source = Scenario.create(stack, "postgres_catalog", 2);
      source.settings.put(
          "catalog.uri", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
      source.settings.put("catalog.jdbc.user", "postgres");
      source.settings.put("bad-records.max-ratio", "0.5");
      source.produce(20);
      source.produceBad(2);

      JobRunner.Result first = source.run();

      assertThat(first.exitCode).as(first.toString()).isZero();
      assertThat(first.stdout).contains("Batch 1 of kafka://").contains("22 read, 20 written");
      source.assertEveryMessageOnce();
      source.assertEveryDeadLetterOnce();

      source.produce(10);
      source.produceBad(1);
      Path barrier = source.workDir.resolve("barrier");
      List<String> jvm = Scenario.failpoint(Failpoints.BEFORE_COMMIT + ":await=" + barrier);
      JobRunner.Running one = JobRunner.start(source.workDir, source.settings, jvm);
      JobRunner.Running other = JobRunner.start(source.workDir, source.settings, jvm);
      BatchesITCase.awaitArrivals(barrier, List.of(one, other));
      Files.createFile(barrier.resolve("go"));
      List<JobRunner.Result> raced = List.of(one.await(), other.await());

      assertThat(raced)
          .extracting(r -> r.exitCode)
          .as(raced.toString())
          .containsExactlyInAnyOrder(0, IngestJob.EXIT_CONFLICT);
      source.assertBatchNumbers(2);
      source.assertEveryMessageOnce();
      source.assertEveryDeadLetterOnce();
      assertThat(catalogTables(postgres))
          .containsExactlyInAnyOrder("balance_changes", "balance_changes_rejected");
    }
  }

  /** The tables Iceberg's JDBC catalog keeps in the PostgreSQL database. */
  private static List<String> catalogTables(EmbeddedPostgres postgres) throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT table_name FROM iceberg_tables")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    return tables;
  }
}
