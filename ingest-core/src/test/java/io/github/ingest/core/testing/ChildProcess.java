package io.github.ingest.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A JVM started on this JVM's classpath, its output in a log file, killed on close. */
public final class ChildProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static ChildProcess start(
      String name, Path log, List<String> jvmOptions, String mainClass, String... args) {
    return startOn(System.getProperty("java.class.path"), name, log, jvmOptions, mainClass, args);
  }

  /** A JVM started on {@code classpath}. */
  public static ChildProcess startOn(
      String classpath,
      String name,
      Path log,
      List<String> jvmOptions,
      String mainClass,
      String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(List.of(args));
    return startCommand(name, log, command);
  }

  /** Any command, such as a server's binary. */
  public static ChildProcess startCommand(String name, Path log, List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new ChildProcess(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + name, e);
    }
  }

  public static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Waits for {@code ready}, failing early with the log's tail if the process dies. */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    Waiting.until(
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(
                name + " exited with " + process.exitValue() + ":\n" + tail());
          }
          return ready.getAsBoolean();
        },
        timeout,
        name + " to start");
  }

  /** Runs to completion, failing with the log's tail on a non-zero exit. */
  public void awaitSuccess(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " did not finish within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + ":\n" + tail());
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
