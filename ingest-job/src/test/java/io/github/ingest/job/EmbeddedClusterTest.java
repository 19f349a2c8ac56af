package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Flink's embedded cluster started ahead of the job that runs on it. */
class EmbeddedClusterTest {

  @Test
  void theFirstJobRunsOnTheClusterStartedAheadAndALaterOneOnAClusterOfItsOwn() throws Exception {
    EmbeddedCluster cluster = EmbeddedCluster.startAhead(new Configuration(), 2);
    StreamExecutionEnvironment env = cluster.environment();
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);

    List<Long> first = env.fromSequence(1, 5).setParallelism(2).executeAndCollect(10);
    // the first job took the cluster and shut it down as it ended
    List<Long> second = env.fromSequence(1, 3).setParallelism(2).executeAndCollect(10);
    cluster.closeUnused();

    assertThat(first).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
    assertThat(second).containsExactlyInAnyOrder(1L, 2L, 3L);
  }

  @Test
  void aClusterNoJobTookIsClosedWithoutWaitingForIt() throws Exception {
    EmbeddedCluster cluster = EmbeddedCluster.startAhead(new Configuration(), 1);

    long started = System.nanoTime();
    CompletableFuture<Void> closed = cluster.closeUnused();
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(seconds).isLessThan(0.5);
    closed.get(60, TimeUnit.SECONDS);
    assertThat(closed).isCompleted();
  }
}
