package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.core.internal.Failpoints;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker or the S3 server stopped in the middle of a batch: the run fails with a clear message,
 * commits nothing, and once the service is back the next run ingests the batch completely. These
 * tests stop services, so they have a stack of their own.
 */
class FaultsITCase {

  private static LocalStack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = LocalStack.start();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aBrokerThatStopsWhileTheBatchIsReadFailsTheRun() throws Exception {
    Scenario source = Scenario.create(stack, "broker_fault", 2);
    source.produce(4000);
    // small fetches of about one producer batch each: the consumer cannot have fetched the
    // whole range ahead before the broker stops
    source.settings.put("kafka.properties.max.partition.fetch.bytes", "2048");
    source.settings.put("kafka.timeout", "5 s");

    JobRunner.Result failed =
        runStopping(source, () -> stack.kafka().stop(), () -> stack.kafka().restart());

    assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
    assertThat(failed.stderr)
        .contains(
            "ingest: batch failed, nothing committed: No record came from Kafka for 5 s although"
                + " offsets were left to read")
        .doesNotContain("\tat ");
    assertThat(source.batches()).isEmpty();

    JobRunner.Result rerun = source.run();
    assertThat(rerun.exitCode).as(rerun.toString()).isZero();
    source.assertBatchNumbers(1);
    source.assertEveryMessageOnce();
  }

  @Test
  void anS3ServerThatStopsWhileTheBatchIsWrittenFailsTheRun() throws Exception {
    Scenario source = Scenario.create(stack, "s3_fault", 2);
    source.produce(400);

    JobRunner.Result failed =
        runStopping(source, () -> stack.s3().stop(), () -> stack.s3().restart());

    assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
    assertThat(failed.stderr)
        .contains("ingest: batch failed, nothing committed: ")
        .contains("Connection refused")
        .doesNotContain("\tat ");
    assertThat(source.batches()).isEmpty();

    JobRunner.Result rerun = source.run();
    assertThat(rerun.exitCode).as(rerun.toString()).isZero();
    source.assertBatchNumbers(1);
    source.assertEveryMessageOnce();
  }

  /**
   * Runs the job until it has mapped its first records, stops a service, lets the run go on to its
   * end, and starts the service again.
   */
  private static JobRunner.Result runStopping(Scenario source, Runnable stop, Runnable restart)
      throws Exception {
    Path barrier = source.workDir.resolve("barrier");
    JobRunner.Running run =
        JobRunner.start(
            source.workDir,
            source.settings,
            Scenario.failpoint(Failpoints.READING + ":await=" + barrier));
    awaitArrival(barrier);
    stop.run();
    JobRunner.Result result;
    try {
      Files.createFile(barrier.resolve("go"));
      result = run.await();
    } finally {
      restart.run();
    }
    return result;
  }

  private static void awaitArrival(Path barrier) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(barrier)) {
        try (Stream<Path> arrived = Files.list(barrier)) {
          if (arrived.findAny().isPresent()) {
            return;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("The run did not start reading within 2 minutes");
  }
}
