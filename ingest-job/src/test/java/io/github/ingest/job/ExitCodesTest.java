package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.internal.IngestException;
import io.github.ingest.job.metrics.Outcome;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.Callable;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Each exit code, from the failures and outcomes that lead to it: the one mapping the scheduler
 * sees, as {@code docs/batches.md} lists it.
 */
class ExitCodesTest {

  @Test
  void zeroForACommittedBatchAPlanAndNothingNewUnlessSetOtherwise() {
    assertThat(ExitCodes.code(Outcome.COMMITTED, 99)).isZero();
    assertThat(ExitCodes.code(Outcome.PLANNED, 99)).isZero();
    assertThat(ExitCodes.code(Outcome.NOTHING_NEW, 0)).isZero();
    assertThat(ExitCodes.code(Outcome.NOTHING_NEW, 99)).isEqualTo(99);
  }

  @Test
  void oneForABatchThatFailedAndForAStartThatFailedForAnyOtherReason() {
    IllegalStateException failed = new IllegalStateException("Counts do not reconcile");
    assertThat(ExitCodes.code(new RuntimeException("job failed", failed))).isEqualTo(1);
    assertThat(ExitCodes.batchFailure(failed))
        .isEqualTo("batch failed, nothing committed: Counts do not reconcile");
    assertThat(ExitCodes.batchFailure(new CommitStateUnknownException(failed)))
        .startsWith("batch failed and the catalog did not say whether its commit took effect");

    IngestException start =
        startFailure("the catalog", new IllegalStateException("Failed to write the metadata file"));
    assertThat(start.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(start.getMessage())
        .isEqualTo("Cannot set up the catalog: Failed to write the metadata file");
  }

  @Test
  void twoForABadSettingARefusalOrAStateThatNeedsAPerson() {
    assertThat(startFailure("Kafka", new IllegalArgumentException("Cannot find Kafka topic t")))
        .hasMessage("Cannot find Kafka topic t")
        .extracting(IngestException::exitCode)
        .isEqualTo(ExitCode.BAD_CONFIG);
    IngestException refused =
        startFailure("Kafka", new RuntimeException(new SaslAuthenticationException("bad secret")));
    assertThat(refused.exitCode()).isEqualTo(ExitCode.BAD_CONFIG);
    assertThat(refused.getMessage()).startsWith("Kafka refused the job: bad secret (see ");
    IngestException state = new IngestException(ExitCode.BAD_CONFIG, "Topic t was recreated");
    assertThat(startFailure("Kafka", state)).isSameAs(state);
    assertThat(ExitCodes.code(new RuntimeException(state))).isEqualTo(2);
    assertThat(ExitCodes.batchFailure(state)).isEqualTo("nothing started: Topic t was recreated");
  }

  @Test
  void threeForAServiceThatDoesNotAnswer() {
    assertThat(
            startFailure(
                    "Kafka",
                    new IllegalStateException("No broker answered", new TimeoutException()))
                .exitCode())
        .isEqualTo(ExitCode.UNREACHABLE);
    assertThat(
            startFailure(
                    "the catalog",
                    new UncheckedIOException(
                        new java.io.IOException(new ConnectException("refused"))))
                .getMessage())
        .startsWith("Cannot reach the catalog: ");
    assertThat(
            startFailure(
                    "the catalog",
                    new RuntimeException(new SQLNonTransientConnectionException("down", "08001")))
                .exitCode())
        .isEqualTo(ExitCode.UNREACHABLE);
    assertThat(
            startFailure(
                    "the catalog",
                    new UncheckedSQLException(
                        new SQLException("path to 'x/catalog.db': 'x' does not exist"),
                        "Failed to connect: jdbc:sqlite:x/catalog.db"))
                .exitCode())
        .isEqualTo(ExitCode.UNREACHABLE);
    assertThat(
            startFailure(
                    "the catalog or its warehouse",
                    NoSuchBucketException.builder().message("no such bucket").build())
                .exitCode())
        .isEqualTo(ExitCode.UNREACHABLE);
    assertThat(
            startFailure("the catalog", new RuntimeException(new SQLException("syntax", "42000")))
                .exitCode())
        .as("a database that answers is reached")
        .isEqualTo(ExitCode.FAILED);
  }

  @Test
  void fourForABatchAnotherRunCommittedFirst() {
    IngestException conflict =
        new IngestException(
            ExitCode.CONFLICT,
            "Batch 1 was committed by another run",
            new IllegalStateException("this batch is dropped"));
    assertThat(ExitCodes.code(new RuntimeException(conflict))).isEqualTo(4);
    assertThat(ExitCodes.batchFailure(conflict))
        .isEqualTo("Batch 1 was committed by another run: this batch is dropped");
  }

  private static IngestException startFailure(String service, Exception failure) {
    Callable<Object> step =
        () -> {
          throw failure;
        };
    try {
      ExitCodes.setUp(service, step);
    } catch (IngestException e) {
      return e;
    }
    throw new AssertionError("setUp did not fail");
  }
}
