package io.github.ingest.core.internal;

/**
 * What a run's exit code tells a scheduler: the single list behind {@code --help}, the README and
 * the operations guide. Each failure is classified where it is known, by throwing an {@link
 * IngestException} with its code.
 */
public enum ExitCode {
  OK(0, "the batch was committed, or there was nothing new (see exit-code.nothing-new)"),
  FAILED(1, "the batch failed; nothing of it was committed, the next run retries it"),
  BAD_CONFIG(
      2, "a setting, the topic, the table or the source's state needs a person; nothing started"),
  UNREACHABLE(3, "Kafka, the catalog or the storage cannot be reached; nothing was started"),
  CONFLICT(4, "another run committed this batch first; this run's batch is not in the table");

  private final int code;
  private final String help;

  ExitCode(int code, String help) {
    this.code = code;
    this.help = help;
  }

  /** The process exit code. */
  public int code() {
    return code;
  }

  /** One line for {@code --help}. */
  public String help() {
    return help;
  }
}
