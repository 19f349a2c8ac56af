package io.github.ingest.job;

import io.github.ingest.job.config.JobConf;
import io.github.ingest.kafka.mapping.MappingOperator;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.BatchShuffleMode;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.ShutdownHookUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a batch's Flink job runs, and waiting for it with a progress line. */
final class Submission {

  private static final Logger LOG = LoggerFactory.getLogger(Submission.class);

  private final JobConf conf;
  private final PrintStream out;
  private EmbeddedCluster ahead;
  private boolean aheadHandedOut;

  Submission(JobConf conf, PrintStream out) {
    this.conf = conf;
    this.out = out;
  }

  /**
   * Starts the embedded cluster of the next {@link #environment()} in the background, unless {@code
   * flink run} started the job; {@link #close()} closes it if no job took it.
   */
  void startAhead() {
    if (ahead == null && !onCluster(StreamExecutionEnvironment.getExecutionEnvironment())) {
      int slots =
          conf.run().parallelism() != null
              ? conf.run().parallelism()
              : Runtime.getRuntime().availableProcessors();
      ahead = EmbeddedCluster.startAhead(embedded(conf), slots);
    }
  }

  /** Closes an embedded cluster started ahead that no job took. */
  void close() {
    if (ahead != null) {
      ahead.closeUnused();
    }
  }

  /**
   * Flink's environment: the cluster's when {@code flink run} started the job, else an embedded
   * MiniCluster configured by the {@code flink.*} settings, whose tasks report their counts often
   * enough for the progress line: the one started ahead, the first time.
   */
  StreamExecutionEnvironment environment() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    if (onCluster(env)) {
      if (!conf.run().flinkSettings().isEmpty()) {
        LOG.warn(
            "Ignoring the flink.* settings {}: under flink run, the cluster's configuration"
                + " applies",
            conf.run().flinkSettings().keySet());
      }
      return env;
    }
    if (ahead != null && !aheadHandedOut) {
      aheadHandedOut = true;
      return ahead.environment();
    }
    return StreamExecutionEnvironment.getExecutionEnvironment(embedded(conf));
  }

  /**
   * The configuration of the embedded cluster: the {@code flink.*} settings, a heartbeat, and
   * unless those settings say otherwise, Flink's default scheduler with pipelined exchanges. The
   * whole job then runs at once, as one pipelined region: rows pass from the mappers to the writers
   * through the network buffers alone, nothing is spilled to disk, and the memory the batch shuffle
   * would take is not needed.
   */
  static Configuration embedded(JobConf conf) {
    Configuration config = Configuration.fromMap(conf.run().flinkSettings());
    if (!config.contains(JobManagerOptions.SCHEDULER)
        && !config.contains(ExecutionOptions.BATCH_SHUFFLE_MODE)) {
      config.set(JobManagerOptions.SCHEDULER, JobManagerOptions.SchedulerType.Default);
      config.set(ExecutionOptions.BATCH_SHUFFLE_MODE, BatchShuffleMode.ALL_EXCHANGES_PIPELINED);
    }
    long interval = conf.run().progressInterval().toMillis();
    if (interval > 0 && !config.contains(HeartbeatManagerOptions.HEARTBEAT_INTERVAL)) {
      config.set(
          HeartbeatManagerOptions.HEARTBEAT_INTERVAL,
          Math.max(
              500L, Math.min(interval, HeartbeatManagerOptions.HEARTBEAT_INTERVAL.defaultValue())));
    }
    return config;
  }

  /**
   * Whether the job's exchanges are pipelined: the adaptive batch scheduler, Flink's default for
   * batch jobs, refuses them.
   */
  static boolean pipelined(StreamExecutionEnvironment env) {
    return env.getConfiguration().get(ExecutionOptions.BATCH_SHUFFLE_MODE)
        == BatchShuffleMode.ALL_EXCHANGES_PIPELINED;
  }

  /** Whether Flink's client ({@code flink run}) invoked the job, rather than {@code java}. */
  static boolean onCluster(StreamExecutionEnvironment env) {
    return env instanceof StreamContextEnvironment;
  }

  /**
   * Submits the job and waits for it, printing the progress line every {@code progress.interval};
   * returns the job's id. On a cluster, a client stopped while it waits cancels the job, as {@code
   * flink run} does for a job it waits for.
   */
  String await(StreamExecutionEnvironment env, StreamGraph graph, long planned) throws Exception {
    long submitted = System.nanoTime();
    JobClient client = env.executeAsync(graph);
    Thread cancel =
        onCluster(env)
            ? ShutdownHookUtil.addShutdownHook(
                () -> client.cancel().get(10, TimeUnit.SECONDS), "cancel " + client.getJobID(), LOG)
            : null;
    try {
      CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
      long interval = conf.run().progressInterval().toMillis();
      Progress progress = new Progress(out, planned, submitted);
      while (interval > 0) {
        try {
          result.get(interval, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          readSoFar(client).ifPresent(done -> progress.update(done, System.nanoTime()));
        }
      }
      return result.get().getJobID().toString();
    } finally {
      if (cancel != null) {
        ShutdownHookUtil.removeShutdownHook(cancel, "cancel " + client.getJobID(), LOG);
      }
    }
  }

  /** Records the mappers have read, as the job's accumulators last reported them. */
  private static Optional<Long> readSoFar(JobClient client) {
    try {
      Object read =
          client.getAccumulators().get(5, TimeUnit.SECONDS).get(MappingOperator.READ_ACCUMULATOR);
      return read instanceof Long ? Optional.of((Long) read) : Optional.of(0L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("No progress: cannot get the job's accumulators", e);
      return Optional.empty();
    }
  }
}
