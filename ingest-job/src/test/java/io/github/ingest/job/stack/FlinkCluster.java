package io.github.ingest.job.stack;

import io.github.ingest.core.testing.ChildProcess;
import io.github.ingest.core.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Flink 1.17 standalone session cluster: a JobManager and TaskManagers as separate JVMs on
 * loopback, started the way Flink's scripts start them, from the Flink jars the build copies to
 * {@code target/lib} (Maven Central has no flink-dist). Jobs are submitted with Flink's own
 * command-line client, as {@code flink run} does.
 */
public final class FlinkCluster implements AutoCloseable {

  private final Path dir;
  private final int restPort;
  private final List<ChildProcess> processes;

  private FlinkCluster(Path dir, int restPort, List<ChildProcess> processes) {
    this.dir = dir;
    this.restPort = restPort;
    this.processes = processes;
  }

  /** Starts a JobManager and {@code taskManagers} TaskManagers of one slot each. */
  public static FlinkCluster start(Path dir, int taskManagers) throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.createDirectories(dir.resolve("log"));
    int restPort = Ports.free();
    String loopback = Ports.LOOPBACK;
    Files.write(
        conf.resolve("flink-conf.yaml"),
        List.of(
            "jobmanager.rpc.address: " + loopback,
            "jobmanager.bind-host: " + loopback,
            "jobmanager.rpc.port: " + Ports.free(),
            "jobmanager.memory.process.size: 768m",
            "rest.address: " + loopback,
            "rest.bind-address: " + loopback,
            "rest.port: " + restPort,
            "taskmanager.host: " + loopback,
            "taskmanager.bind-host: " + loopback,
            "taskmanager.numberOfTaskSlots: 1",
            "taskmanager.memory.process.size: 1536m",
            "taskmanager.memory.managed.fraction: 0.1",
            "parallelism.default: 1",
            // tasks report their counts to the JobManager with each heartbeat: the progress line
            "heartbeat.interval: 2000"),
        StandardCharsets.UTF_8);
    Files.write(
        conf.resolve("log4j.properties"),
        List.of(
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = File",
            "appender.file.name = File",
            "appender.file.type = File",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n"),
        StandardCharsets.UTF_8);
    // the client logs as the tests' job runs do: warnings and errors, to the console
    Files.write(
        conf.resolve("log4j-cli.properties"),
        List.of(
            "rootLogger.level = WARN",
            "rootLogger.appenderRef.console.ref = Console",
            "appender.console.name = Console",
            "appender.console.type = Console",
            "appender.console.target = SYSTEM_ERR",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n"),
        StandardCharsets.UTF_8);

    List<ChildProcess> processes = new ArrayList<>();
    FlinkCluster cluster = new FlinkCluster(dir, restPort, processes);
    try {
      processes.add(
          cluster.flinkProcess(
              "jobmanager",
              List.of("-Xmx512m"),
              "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
              "--configDir",
              conf.toString()));
      TaskManagerResources resources = cluster.taskManagerResources();
      for (int i = 0; i < taskManagers; i++) {
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(resources.dynamicProperties);
        processes.add(
            cluster.flinkProcess(
                "taskmanager-" + i,
                resources.jvmOptions,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                args.toArray(new String[0])));
      }
      processes
          .get(0)
          .awaitReady(
              () -> cluster.overview().contains("\"taskmanagers\":" + taskManagers),
              Duration.ofMinutes(2));
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:port}: the REST API and web UI. */
  public String restAddress() {
    return "http://" + Ports.LOOPBACK + ":" + restPort;
  }

  /** The JSON the REST API answers for {@code path}, such as {@code /jobs/overview}. */
  public String rest(String path) {
    return Http.get(restAddress() + path).body();
  }

  /**
   * Starts {@code flink run [flinkOptions] ingest-job.jar [jobArgs] --key=value...} in {@code
   * workDir}: Flink's client front end, on the Flink jars alone, with {@code env} added to its
   * environment.
   */
  public JobRunner.Running submit(
      Path workDir,
      List<String> flinkOptions,
      Map<String, String> settings,
      Map<String, String> env,
      String... jobArgs) {
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaExecutable());
    command.addAll(flinkJvmOptions());
    command.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j-cli.properties"));
    command.add("-cp");
    command.add(flinkClasspath());
    command.add("org.apache.flink.client.cli.CliFrontend");
    command.add("run");
    command.add("--jobmanager");
    command.add(Ports.LOOPBACK + ":" + restPort);
    command.addAll(flinkOptions);
    command.add(JobRunner.jobJar().toString());
    command.addAll(List.of(jobArgs));
    settings.forEach((key, value) -> command.add("--" + key + "=" + value));
    Map<String, String> environment = new java.util.HashMap<>(env);
    environment.put("FLINK_CONF_DIR", dir.resolve("conf").toString());
    return JobRunner.start(workDir, command, environment);
  }

  /** Each process log's first errors and last lines, for a failure message. */
  public String logs() {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(dir.resolve("log"))) {
      for (Path log : files.sorted().collect(Collectors.toList())) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        text.append("--- ").append(log.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 30), lines.size())
            .forEach(line -> text.append(line).append('\n'));
      }
    } catch (IOException e) {
      text.append("(cannot read the logs: ").append(e).append(")\n");
    }
    return text.toString();
  }

  private String overview() {
    try {
      return rest("/overview");
    } catch (UncheckedIOException e) {
      return "";
    }
  }

  private ChildProcess flinkProcess(
      String name, List<String> heap, String mainClass, String... args) {
    List<String> jvm = new ArrayList<>(flinkJvmOptions());
    jvm.addAll(heap);
    jvm.add("-Dlog.file=" + dir.resolve("log/" + name + ".log"));
    jvm.add("-Dlog4j.configurationFile=" + dir.resolve("conf/log4j.properties"));
    return ChildProcess.startOn(
        flinkClasspath(), name, dir.resolve("log/" + name + ".out"), jvm, mainClass, args);
  }

  /**
   * The TaskManager's JVM sizes and memory settings, computed from the configuration by the utility
   * Flink's {@code taskmanager.sh} calls: its last two lines.
   */
  private TaskManagerResources taskManagerResources() {
    Path out = dir.resolve("log/tm-resources.out");
    try (ChildProcess utils =
        ChildProcess.startOn(
            flinkClasspath(),
            "BashJavaUtils",
            out,
            flinkJvmOptions(),
            "org.apache.flink.runtime.util.bash.BashJavaUtils",
            "GET_TM_RESOURCE_PARAMS",
            "--configDir",
            dir.resolve("conf").toString())) {
      utils.awaitSuccess(Duration.ofMinutes(1));
      List<String> results =
          Files.readAllLines(out, StandardCharsets.UTF_8).stream()
              .filter(line -> line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
              .map(line -> line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim())
              .collect(Collectors.toList());
      if (results.size() < 2) {
        throw new IllegalStateException("BashJavaUtils printed no resources:\n" + utils.tail());
      }
      List<String> dynamic = new ArrayList<>();
      for (String token : results.get(results.size() - 1).split(" ")) {
        if (!token.isEmpty()) {
          dynamic.add(token);
        }
      }
      return new TaskManagerResources(
          Arrays.asList(results.get(results.size() - 2).split(" ")), dynamic);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JDK 17 options Flink needs, as this JVM was given them. */
  private static List<String> flinkJvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(option -> option.startsWith("--add-opens") || option.startsWith("--add-exports"))
        .collect(Collectors.toList());
  }

  /** Flink's own jars and logging, what a Flink distribution's lib/ holds; not the job's. */
  private static String flinkClasspath() {
    String lib = System.getProperty("ingest.flink.lib");
    if (lib == null || !Files.isDirectory(Paths.get(lib))) {
      throw new IllegalStateException(
          "Set ingest.flink.lib to the Flink jars the build copies to target/lib");
    }
    return Paths.get(lib).resolve("*").toString();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }

  private static final class TaskManagerResources {
    final List<String> jvmOptions;
    final List<String> dynamicProperties;

    TaskManagerResources(List<String> jvmOptions, List<String> dynamicProperties) {
      this.jvmOptions = jvmOptions;
      this.dynamicProperties = dynamicProperties;
    }
  }
}
