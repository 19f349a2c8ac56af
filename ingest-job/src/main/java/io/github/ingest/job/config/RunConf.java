package io.github.ingest.job.config;

import io.github.ingest.iceberg.sink.Routing;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/** The resolved {@link RunOptions}: how a run executes and what it reports. */
public final class RunConf {

  private final Configuration options;
  private final Map<String, String> flinkSettings;

  RunConf(Configuration options, Map<String, String> flinkSettings) {
    this.options = options;
    this.flinkSettings = Collections.unmodifiableMap(new TreeMap<>(flinkSettings));
  }

  /** A parallelism set by the user, or null. */
  public Integer parallelism() {
    return options.getOptional(RunOptions.PARALLELISM).orElse(null);
  }

  /** How often Flink restarts a failed task within the run. */
  public int restartAttempts() {
    return options.get(RunOptions.RESTART_ATTEMPTS);
  }

  /** How rows reach the writers: the rule, or the routing forced. */
  public Routing.Choice routing() {
    return options.get(RunOptions.ROUTING);
  }

  /** How often a running batch reports its progress; zero for never. */
  public Duration progressInterval() {
    return options.get(RunOptions.PROGRESS_INTERVAL);
  }

  /** The exit code of a run that found nothing new. */
  public int nothingNewExitCode() {
    return options.get(RunOptions.NOTHING_NEW_EXIT_CODE);
  }

  /** Where to push the run's figures, if anywhere. */
  public Optional<String> pushgatewayUrl() {
    return options.getOptional(RunOptions.PUSHGATEWAY_URL).filter(url -> !url.trim().isEmpty());
  }

  /** The Pushgateway job label of the run's figures. */
  public String pushgatewayJob() {
    return options.get(RunOptions.PUSHGATEWAY_JOB);
  }

  /** The file to write the run's figures to as JSON, if any. */
  public Optional<Path> summaryJson() {
    return options.getOptional(RunOptions.SUMMARY_JSON).map(Paths::get);
  }

  /**
   * Flink settings for the embedded cluster of a run under {@code java -jar}: the {@code flink.*}
   * settings without the prefix, such as {@code metrics.reporter.*} or {@code
   * taskmanager.memory.*}. Under {@code flink run} the cluster's own configuration applies.
   */
  public Map<String, String> flinkSettings() {
    return flinkSettings;
  }
}
