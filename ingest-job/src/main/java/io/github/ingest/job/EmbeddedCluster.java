package io.github.ingest.job;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink's embedded MiniCluster, started on a thread of its own while the run plans its batch, so
 * that its start (RPC systems, task executor, REST endpoint: a third of a 1-record batch's time)
 * overlaps the catalog and Kafka round trips instead of following them. The batch's job runs on it
 * through Flink's own local executor, as {@code StreamExecutionEnvironment#execute} would run it on
 * a MiniCluster of its own, and the cluster shuts down when the job ends. A run that ends without a
 * job (nothing new, a refusal) closes it unused.
 */
final class EmbeddedCluster {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);

  private final Configuration config;
  private final int slots;
  private final CompletableFuture<MiniCluster> started;
  private boolean taken;

  private EmbeddedCluster(Configuration config, int slots) {
    this.config = config;
    MiniClusterConfiguration configuration = configuration(config, slots);
    this.slots = slotsOf(configuration);
    MiniCluster cluster = new AheadCluster(configuration);
    this.started = new CompletableFuture<>();
    Thread starting =
        new Thread(
            () -> {
              try {
                cluster.start();
                started.complete(cluster);
              } catch (Throwable e) {
                started.completeExceptionally(e);
              }
            },
            "embedded Flink start");
    starting.setDaemon(true);
    starting.start();
  }

  /** Starts a cluster of {@code config} with {@code slots} task slots, in the background. */
  static EmbeddedCluster startAhead(Configuration config, int slots) {
    return new EmbeddedCluster(config, slots);
  }

  /**
   * An environment whose first job runs on this cluster; a job that needs more slots than it has
   * gets a MiniCluster of its own, as Flink would give it.
   */
  StreamExecutionEnvironment environment() {
    Configuration envConfig = new Configuration(config);
    envConfig.set(DeploymentOptions.TARGET, "local");
    envConfig.set(DeploymentOptions.ATTACHED, true);
    PipelineExecutor executor =
        LocalExecutor.createWithFactory(
            envConfig,
            wanted -> {
              if (taken || slotsOf(wanted) > slots) {
                return new MiniCluster(wanted);
              }
              taken = true;
              return join();
            });
    return new StreamExecutionEnvironment(
        new SingleExecutor(executor), envConfig, Thread.currentThread().getContextClassLoader());
  }

  /**
   * Closes the cluster unless a job took it, without waiting: the run is ending. The future
   * completes once it is closed (at once if a job took it).
   */
  CompletableFuture<Void> closeUnused() {
    if (taken) {
      return CompletableFuture.completedFuture(null);
    }
    taken = true;
    return started
        .handle((cluster, e) -> cluster)
        .thenCompose(
            cluster ->
                cluster == null ? CompletableFuture.completedFuture(null) : cluster.closeAsync());
  }

  private MiniCluster join() {
    try {
      return started.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while Flink's embedded cluster started", e);
    } catch (ExecutionException e) {
      LOG.debug("The embedded cluster did not start ahead", e.getCause());
      throw new IllegalStateException(
          "Cannot start Flink's embedded cluster: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The task slots of a cluster of {@code configuration}, over all its task managers. */
  private static int slotsOf(MiniClusterConfiguration configuration) {
    return configuration.getConfiguration().get(TaskManagerOptions.NUM_TASK_SLOTS)
        * configuration.getNumTaskManagers();
  }

  /** What Flink's local executor would configure for a job of {@code slots} parallelism. */
  private static MiniClusterConfiguration configuration(Configuration config, int slots) {
    Configuration cluster = new Configuration(config);
    if (!cluster.contains(RestOptions.BIND_PORT)) {
      cluster.setString(RestOptions.BIND_PORT, "0");
    }
    return new MiniClusterConfiguration.Builder()
        .setConfiguration(cluster)
        .setNumTaskManagers(
            cluster.getInteger(
                ConfigConstants.LOCAL_NUMBER_TASK_MANAGER,
                ConfigConstants.DEFAULT_LOCAL_NUMBER_TASK_MANAGER))
        .setRpcServiceSharing(RpcServiceSharing.SHARED)
        .setNumSlotsPerTaskManager(
            cluster.getOptional(TaskManagerOptions.NUM_TASK_SLOTS).orElse(slots))
        .build();
  }

  /**
   * A cluster started before Flink's executor asks for it: the executor's {@code start()} waits for
   * the start already under way instead of starting it again.
   */
  private static final class AheadCluster extends MiniCluster {

    private volatile boolean startedAhead;

    AheadCluster(MiniClusterConfiguration configuration) {
      super(configuration);
    }

    @Override
    public void start() throws Exception {
      if (!startedAhead) {
        startedAhead = true;
        super.start();
      }
    }
  }

  /** The one executor the environment uses. */
  private static final class SingleExecutor
      implements PipelineExecutorServiceLoader, PipelineExecutorFactory {

    private final PipelineExecutor executor;

    SingleExecutor(PipelineExecutor executor) {
      this.executor = executor;
    }

    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
      return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
      return Stream.of(getName());
    }

    @Override
    public String getName() {
      return "local";
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
      return true;
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
      return executor;
    }
  }
}
