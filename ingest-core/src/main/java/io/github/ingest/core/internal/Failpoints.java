package io.github.ingest.core.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Named points where a run can be made to die abruptly, or to wait, for testing recovery and races.
 * The system property {@code ingest.failpoint} names the point:
 *
 * <ul>
 *   <li>{@code ingest.failpoint=before-commit}: the JVM halts there with exit code 137, as if
 *       killed with SIGKILL: no shutdown hooks, no finally blocks, no clean-up.
 *   <li>{@code ingest.failpoint=before-commit:await=DIR}: the run creates a file {@code
 *       DIR/<pid>-*.arrived} there and waits until {@code DIR/go} exists, so a test can line up
 *       several runs at one point.
 *   <li>{@code ingest.failpoint=after-table-commit:fail-once=FILE}: the first time the point is
 *       reached (FILE does not exist yet), FILE is created and the point throws, failing the task
 *       as any error would; later times pass.
 * </ul>
 *
 * <p>The property is read once, where a run starts ({@link #fromSystemProperties()}, in the job's
 * client), and the armed points travel with the job to its tasks: a stray property on a TaskManager
 * shared with other jobs is never read there.
 *
 * <p>Points: {@link #READING}, {@link #BEFORE_COMMIT}, {@link #AFTER_TABLE_COMMIT}, {@link
 * #BEFORE_DEAD_LETTERS}, {@link #AFTER_COMMIT}. Unset, a point costs one field read.
 */
public final class Failpoints implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  /** No point armed. */
  public static final Failpoints NONE = new Failpoints(null);

  /** While records are being read, after the first ones were mapped. */
  public static final String READING = "reading";

  /** After every data file is written, before the table commit. */
  public static final String BEFORE_COMMIT = "before-commit";

  /** In the committer, right after the target table commit. */
  public static final String AFTER_TABLE_COMMIT = "after-table-commit";

  /** After the target table commit, before the dead letters are committed to their table. */
  public static final String BEFORE_DEAD_LETTERS = "before-dead-letters";

  /** After the table commit, before the consumer group's offsets are committed. */
  public static final String AFTER_COMMIT = "after-commit";

  /** The system property that names the point. */
  public static final String PROPERTY = "ingest.failpoint";

  private final String armed;
  private static final String AWAIT = ":await=";
  private static final String FAIL_ONCE = ":fail-once=";
  private static final long MAX_WAIT_MILLIS = TimeUnit.MINUTES.toMillis(2);

  private Failpoints(String armed) {
    this.armed = armed;
  }

  /** The points the system property {@link #PROPERTY} arms in this JVM. */
  public static Failpoints fromSystemProperties() {
    String armed = System.getProperty(PROPERTY);
    return armed == null ? NONE : new Failpoints(armed);
  }

  /** Halts the JVM, or waits, if {@code point} is the armed one. */
  public void reach(String point) {
    if (armed == null || !armed.startsWith(point)) {
      return;
    }
    if (armed.equals(point)) {
      System.err.println("ingest: halting at failpoint " + point);
      System.err.flush();
      Runtime.getRuntime().halt(137);
    } else if (armed.startsWith(point + AWAIT)) {
      await(Paths.get(armed.substring(point.length() + AWAIT.length())));
    } else if (armed.startsWith(point + FAIL_ONCE)) {
      failOnce(point, Paths.get(armed.substring(point.length() + FAIL_ONCE.length())));
    }
  }

  private static void failOnce(String point, Path marker) {
    try {
      Files.createFile(marker);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("failing once at failpoint " + point);
  }

  private static void await(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.createTempFile(dir, ProcessHandle.current().pid() + "-", ".arrived");
      long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
      while (!Files.exists(dir.resolve("go")) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
