package io.github.ingest.job;

import static io.github.ingest.job.ExitCodes.setUp;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.iceberg.batch.BatchFormat;
import io.github.ingest.iceberg.catalog.Catalogs;
import io.github.ingest.iceberg.deadletter.DeadLetterTables;
import io.github.ingest.iceberg.maintenance.MaintenanceReport;
import io.github.ingest.iceberg.maintenance.RunLease;
import io.github.ingest.iceberg.maintenance.TableMaintenance;
import io.github.ingest.job.config.JobConf;
import io.github.ingest.job.config.MaintenanceConf;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * {@code ingest-job maintain}: keeps the target table and its dead-letter table small in files and
 * history, on the job's own Flink (embedded, or the cluster under {@code flink run}).
 */
final class Maintenance {

  private final JobConf conf;
  private final PrintStream out;

  Maintenance(JobConf conf, PrintStream out) {
    this.conf = conf;
    this.out = out;
  }

  void run() {
    Catalog catalog =
        setUp(
            "the catalog",
            () ->
                Catalogs.loader(conf.tables().catalogName(), conf.tables().catalogProperties())
                    .loadCatalog());
    if (!setUp("the catalog", () -> catalog.tableExists(conf.tables().table()))) {
      throw new IngestException(
          ExitCode.BAD_CONFIG,
          "Cannot maintain table " + conf.tables().table() + ": it does not exist");
    }
    Table table =
        setUp("the catalog or its warehouse", () -> catalog.loadTable(conf.tables().table()));
    Optional<Table> deadLetters =
        setUp(
            "the catalog or its warehouse",
            () ->
                catalog.tableExists(conf.badRecords().deadLetterTable())
                    ? Optional.of(catalog.loadTable(conf.badRecords().deadLetterTable()))
                    : Optional.<Table>empty());
    BatchFormat.check(table, ((HasTableOperations) table).operations().current());
    Supplier<Set<String>> pending =
        () -> {
          table.refresh();
          return deadLetters
              .map(letters -> DeadLetterTables.pendingRuns(table, letters))
              .orElse(Set.of());
        };
    Submission submission = new Submission(conf, out);
    String runId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    // its own lease, in the target table as a batch's: another maintenance never fences it off
    // while it runs, and its compaction output is named after it
    try (RunLease lease = RunLease.hold(table, runId, started)) {
      print(maintenance(table, submission, runId, started).protect(pending).run());
      deadLetters.ifPresent(
          letters ->
              print(
                  maintenance(letters, submission, runId, started)
                      .runsOf(table)
                      .protect(pending)
                      .run()));
    }
  }

  private TableMaintenance maintenance(
      Table table, Submission submission, String runId, Instant started) {
    MaintenanceConf settings = conf.maintenance();
    return TableMaintenance.of(table, submission::environment)
        .asRun(runId, started)
        .retention(settings.snapshotRetention(), settings.retainLast())
        .orphanAge(settings.orphanAge())
        .manifestMinCount(settings.manifestMinCount())
        .dryRun(settings.dryRun());
  }

  private void print(MaintenanceReport report) {
    report.lines().forEach(out::println);
  }
}
