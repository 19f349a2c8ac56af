package io.github.ingest.job.stack;

import io.github.ingest.core.testing.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shaded job jar as a user does, {@code java -jar ingest-job.jar ...}, and waits. */
public final class JobRunner {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private JobRunner() {}

  /** The built job jar, as the build passes it to tests and the demo. */
  public static Path jobJar() {
    String jar = System.getProperty("ingest.job.jar");
    if (jar == null) {
      throw new IllegalStateException("Set ingest.job.jar to the shaded job jar");
    }
    Path path = Paths.get(jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("No job jar at " + path + ": build it with mvn package");
    }
    return path;
  }

  /**
   * Installs the release tarball, as the build passes it to tests and the demo, as a user does:
   * unpacked into {@code dir}. Returns its home, which holds {@code bin/ingest-job}.
   */
  public static Path installRelease(Path dir) {
    String tarball = System.getProperty("ingest.job.release");
    if (tarball == null || !Files.isRegularFile(Paths.get(tarball))) {
      throw new IllegalStateException("No release tarball at " + tarball + ": run mvn package");
    }
    try {
      Process untar = new ProcessBuilder("tar", "xzf", tarball, "-C", dir.toString()).start();
      String output = new String(untar.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!untar.waitFor(2, TimeUnit.MINUTES) || untar.exitValue() != 0) {
        throw new IllegalStateException("Cannot unpack " + tarball + ": " + output);
      }
      try (var entries = Files.list(dir)) {
        return entries
            .filter(entry -> entry.getFileName().toString().startsWith("ingest-job-"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(tarball + " holds no ingest-job-*"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the release's launcher {@code bin/ingest-job} in {@code workDir} with {@code settings}.
   */
  public static Result runLauncher(
      Path home, Path workDir, Map<String, String> settings, String... args) {
    return startLauncher(home, workDir, settings, Map.of(), args).await();
  }

  /**
   * Starts the release's launcher in {@code workDir} with {@code env} added to its environment
   * (such as {@code JAVA_OPTS}); the launcher execs java, so the process is the job's JVM.
   */
  public static Running startLauncher(
      Path home,
      Path workDir,
      Map<String, String> settings,
      Map<String, String> env,
      String... args) {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/ingest-job").toString());
    command.addAll(List.of(args));
    settings.forEach((key, value) -> command.add("--" + key + "=" + value));
    return start(workDir, command, env);
  }

  /**
   * Runs the job in {@code workDir}: {@code extraArgs} (such as the command) first, then {@code
   * settings} as flags.
   */
  public static Result run(Path workDir, Map<String, String> settings, String... extraArgs) {
    return start(workDir, settings, List.of(), extraArgs).await();
  }

  /**
   * Starts the job in {@code workDir} with {@code jvmOptions}, {@code extraArgs}, then {@code
   * settings} as flags; {@link Running#await} waits for it. Each run writes its output to files
   * named after its process id, so runs may share a directory.
   */
  public static Running start(
      Path workDir, Map<String, String> settings, List<String> jvmOptions, String... extraArgs) {
    return start(workDir, settings, jvmOptions, Map.of(), extraArgs);
  }

  /** As {@link #start(Path, Map, List, String...)}, with {@code env} added to its environment. */
  public static Running start(
      Path workDir,
      Map<String, String> settings,
      List<String> jvmOptions,
      Map<String, String> env,
      String... extraArgs) {
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaExecutable());
    if (jvmOptions.stream().noneMatch(option -> option.startsWith("-Xmx"))) {
      command.add("-Xmx1g");
    }
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jobJar().toString());
    command.addAll(List.of(extraArgs));
    settings.forEach((key, value) -> command.add("--" + key + "=" + value));
    return start(workDir, command, env);
  }

  /**
   * Starts {@code command} in {@code workDir}, its output to files named after it there, so runs
   * may share a directory.
   */
  public static Running start(Path workDir, List<String> command) {
    return start(workDir, command, Map.of());
  }

  /** Starts {@code command} in {@code workDir} with {@code env} added to its environment. */
  public static Running start(Path workDir, List<String> command, Map<String, String> env) {
    try {
      Path stdout = Files.createTempFile(workDir, "job-", ".out");
      Path stderr = Files.createTempFile(workDir, "job-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      return new Running(process, stdout, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A run that was started. */
  public static final class Running {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    Running(Process process, Path stdout, Path stderr) {
      this.process = process;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    public long pid() {
      return process.pid();
    }

    /** What the run has printed so far, for a failure message. */
    public String outputSoFar() {
      try {
        return output(
            Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Waits for the run to end; kills it if it takes longer than a run ever should. */
    public Result await() {
      try {
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException(
              "The job did not finish within "
                  + TIMEOUT
                  + "; output:\n"
                  + Files.readString(stdout, StandardCharsets.UTF_8));
        }
        return new Result(
            process.exitValue(),
            Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A finished run: exit code and output. */
  public static final class Result {
    public final int exitCode;
    public final String stdout;
    public final String stderr;

    Result(int exitCode, String stdout, String stderr) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n" + output(stdout, stderr);
    }
  }

  private static String output(String stdout, String stderr) {
    return "--- stdout\n" + stdout + "--- stderr\n" + stderr;
  }
}
