package io.github.ingest.job.metrics;

/**
 * How a run ended: the one value the console, the JSON summary, the Pushgateway and the exit code
 * are made from.
 */
public enum Outcome {
  /** A batch was committed. */
  COMMITTED("committed"),
  /** There was nothing new to read. */
  NOTHING_NEW("nothing-new"),
  /** The next batch's plan was printed ({@code plan}); nothing was written. */
  PLANNED("planned"),
  /** The run failed; its exit code says how. */
  FAILED("failed");

  private final String text;

  Outcome(String text) {
    this.text = text;
  }

  /** As the summary and the Pushgateway spell it. */
  @Override
  public String toString() {
    return text;
  }
}
