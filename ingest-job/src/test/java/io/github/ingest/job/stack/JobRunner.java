package io.github.ingest.job.stack;

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

  /** Runs the job in {@code workDir} with {@code settings} as flags, then {@code extraArgs}. */
  public static Result run(Path workDir, Map<String, String> settings, String... extraArgs) {
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaExecutable());
    command.add("-Xmx1g");
    command.add("-jar");
    command.add(jobJar().toString());
    settings.forEach((key, value) -> command.add("--" + key + "=" + value));
    command.addAll(List.of(extraArgs));
    Path stdout = workDir.resolve("job-stdout.txt");
    Path stderr = workDir.resolve("job-stderr.txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("The job did not finish within " + TIMEOUT);
      }
      return new Result(
          process.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
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
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }
}
