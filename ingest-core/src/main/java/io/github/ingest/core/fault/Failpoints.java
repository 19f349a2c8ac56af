package io.github.ingest.core.fault;

/**
 * Named points where a run can be made to die abruptly, for testing recovery: when the system
 * property {@code ingest.failpoint} names a point, the JVM halts there with exit code 137, as if
 * killed with SIGKILL: no shutdown hooks, no finally blocks, no clean-up.
 *
 * <p>Points: {@link #READING}, {@link #BEFORE_COMMIT}, {@link #AFTER_COMMIT}. Unset, a point costs
 * one field read.
 */
public final class Failpoints {

  /** While records are being read, after the first ones were mapped. */
  public static final String READING = "reading";

  /** After every data file is written, before the table commit. */
  public static final String BEFORE_COMMIT = "before-commit";

  /** After the table commit, before the consumer group's offsets are committed. */
  public static final String AFTER_COMMIT = "after-commit";

  /** The system property that names the point to halt at. */
  public static final String PROPERTY = "ingest.failpoint";

  private static final String ARMED = System.getProperty(PROPERTY);

  private Failpoints() {}

  /** Halts the JVM if {@code point} is the armed one. */
  public static void reach(String point) {
    if (ARMED != null && ARMED.equals(point)) {
      System.err.println("ingest: halting at failpoint " + point);
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
