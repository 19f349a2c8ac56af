package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.config.JobConf;
import org.apache.flink.api.common.BatchShuffleMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class SubmissionTest {

  @Test
  void theEmbeddedClusterRunsTheJobPipelinedUnderTheDefaultScheduler() {
    Configuration config = Submission.embedded(conf());

    assertThat(config.get(JobManagerOptions.SCHEDULER))
        .isEqualTo(JobManagerOptions.SchedulerType.Default);
    assertThat(config.get(ExecutionOptions.BATCH_SHUFFLE_MODE))
        .isEqualTo(BatchShuffleMode.ALL_EXCHANGES_PIPELINED);
    assertThat(Submission.pipelined(StreamExecutionEnvironment.getExecutionEnvironment(config)))
        .isTrue();
  }

  @Test
  void aSchedulerOrShuffleModeSetInFlinkSettingsLeavesFlinksDefaults() {
    Configuration scheduler =
        Submission.embedded(conf("--flink.jobmanager.scheduler=AdaptiveBatch"));
    Configuration shuffle =
        Submission.embedded(conf("--flink.execution.batch-shuffle-mode=ALL_EXCHANGES_BLOCKING"));

    assertThat(scheduler.get(JobManagerOptions.SCHEDULER))
        .isEqualTo(JobManagerOptions.SchedulerType.AdaptiveBatch);
    assertThat(scheduler.contains(ExecutionOptions.BATCH_SHUFFLE_MODE)).isFalse();
    assertThat(shuffle.contains(JobManagerOptions.SCHEDULER)).isFalse();
    for (Configuration config : new Configuration[] {scheduler, shuffle}) {
      assertThat(Submission.pipelined(StreamExecutionEnvironment.getExecutionEnvironment(config)))
          .isFalse();
    }
  }

  private static JobConf conf(String... flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "--kafka.bootstrap-servers=a:9092";
    args[1] = "--kafka.topic=t";
    System.arraycopy(flags, 0, args, 2, flags.length);
    return JobConf.parse(args);
  }
}
