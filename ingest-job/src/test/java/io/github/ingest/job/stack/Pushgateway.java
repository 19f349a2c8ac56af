package io.github.ingest.job.stack;

import io.github.ingest.core.testing.ChildProcess;
import io.github.ingest.core.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus Pushgateway, Debian's {@code prometheus-pushgateway}, on a free loopback port,
 * keeping what it is pushed in memory; stopped on close.
 *
 * <p>It runs the installed binary; where none is installed, it fetches Debian's package once into
 * the build directory with {@code apt-get download} (no root needed) and unpacks it there with
 * {@code dpkg-deb}, so {@code ./mvnw verify} needs nothing else on a Debian machine.
 */
public final class Pushgateway implements AutoCloseable {

  private static final String PACKAGE = "prometheus-pushgateway";
  private static final Path INSTALLED = Paths.get("/usr/bin", PACKAGE);

  private final ChildProcess process;
  private final String url;

  private Pushgateway(ChildProcess process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Starts one; {@code workDir} gets its log. */
  public static Pushgateway start(Path workDir) {
    int port = Ports.free();
    Path log = workDir.resolve("pushgateway.log");
    ChildProcess process =
        ChildProcess.startCommand(
            "the Pushgateway",
            log,
            List.of(
                binary().toString(),
                "--web.listen-address=" + Ports.LOOPBACK + ":" + port,
                "--persistence.file=",
                "--log.level=warn"));
    Pushgateway gateway = new Pushgateway(process, "http://" + Ports.LOOPBACK + ":" + port);
    process.awaitReady(() -> Ports.open(port), Duration.ofSeconds(30));
    return gateway;
  }

  public String url() {
    return url;
  }

  /** What Prometheus would scrape: every group's metrics, in the text format. */
  public String metrics() {
    HttpResponse<String> response = Http.get(url + "/metrics");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics answered " + response.statusCode());
    }
    return response.body();
  }

  /**
   * The lines of {@code metrics()} of the series {@code name} whose labels include {@code labels},
   * e.g. {@code instance="lake.t"}.
   */
  public List<String> series(String name, String... labels) {
    List<String> lines = new ArrayList<>();
    for (String line : metrics().split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The value of the one series {@code name} with {@code labels}. */
  public double value(String name, String... labels) {
    List<String> lines = series(name, labels);
    if (lines.size() != 1) {
      throw new AssertionError(
          "Expected one series " + name + " with " + List.of(labels) + ", got " + lines);
    }
    String line = lines.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Override
  public void close() {
    process.close();
  }

  /** The installed binary, else one unpacked from Debian's package into the build directory. */
  private static synchronized Path binary() {
    if (Files.isExecutable(INSTALLED)) {
      return INSTALLED;
    }
    Path tools = Paths.get(System.getProperty("ingest.tools.dir", "target/tools")).toAbsolutePath();
    Path unpacked = tools.resolve(PACKAGE);
    Path binary = unpacked.resolve("usr/bin").resolve(PACKAGE);
    if (Files.isExecutable(binary)) {
      return binary;
    }
    try {
      Files.createDirectories(tools);
      run(tools, "apt-get", "download", PACKAGE);
      Path deb;
      try (var files = Files.list(tools)) {
        deb =
            files
                .filter(f -> f.getFileName().toString().startsWith(PACKAGE + "_"))
                .filter(f -> f.getFileName().toString().endsWith(".deb"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("apt-get downloaded no " + PACKAGE));
      }
      run(tools, "dpkg-deb", "-x", deb.toString(), unpacked.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot fetch Debian's " + PACKAGE + "; install it (apt-get install " + PACKAGE + ")", e);
    }
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("Debian's " + PACKAGE + " holds no " + binary);
    }
    return binary;
  }

  private static void run(Path dir, String... command) throws IOException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    try {
      if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
