package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The release tarball as a user installs it: unpacked, its launcher run. */
@ExtendWith(LocalStackExtension.class)
class ReleaseITCase {

  @Test
  void theLauncherOfTheUnpackedTarballPrintsItsVersionsAndRunsABatch(LocalStack stack)
      throws Exception {
    Path installed = stack.newDirectory("release-");
    Path home = JobRunner.installRelease(installed);
    assertThat(home.getFileName().toString()).startsWith("ingest-job-");
    assertThat(home.resolve("lib")).isDirectory();
    assertThat(home.resolve("plugins")).isDirectory();
    assertThat(home.resolve("docs/batches.md")).exists();
    assertThat(home.resolve("docs/settings.md")).exists();
    assertThat(home.resolve("conf/ingest.properties.example")).exists();
    // Akka's jar lies unpacked in lib/rpc, and Flink's loader, which would copy it to a
    // temporary file at each start, is not shipped: the batches below ran on the release's loader
    assertThat(home.resolve(ReleaseRpcSystemLoader.JAR)).isRegularFile();
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      assertThat(lib.map(jar -> jar.getFileName().toString()))
          .noneMatch(name -> name.startsWith("flink-rpc-akka-loader"));
    }
    String launcher = home.resolve("bin/ingest-job").toString();

    JobRunner.Result version = JobRunner.start(installed, List.of(launcher, "--version")).await();
    assertThat(version.exitCode).as(version.toString()).isZero();
    assertThat(version.stdout)
        .startsWith("ingest-job " + home.getFileName().toString().substring("ingest-job-".length()))
        .contains("Flink 1.17.1")
        .contains("Iceberg 1.3.0")
        .contains("Kafka client 3.2.3");

    Scenario source = Scenario.create(stack, "released", 1);
    // a run with nothing new (the topic is empty) loaded no Flink: what it wrote at exit is not
    // marked complete, so no run will use it
    JobRunner.Result empty = JobRunner.runLauncher(home, source.workDir, source.settings, "run");
    assertThat(empty.exitCode).as(empty.toString()).isZero();
    assertThat(archives(home))
        .noneMatch(name -> name.endsWith(".jsa") || name.endsWith(".complete"));

    source.produce(7);
    JobRunner.Result batch = JobRunner.runLauncher(home, source.workDir, source.settings, "run");
    assertThat(batch.exitCode).as(batch.toString()).isZero();
    assertThat(batch.stdout).contains("Batch 1 of kafka://").contains("7 read, 7 written");
    source.assertEveryMessageOnce();

    // the committed batch wrote its archive and marked it complete; the next run maps it, and
    // the JVM's class-data messages stay out of the job's output
    source.produce(2);
    JobRunner.Result next = JobRunner.runLauncher(home, source.workDir, source.settings, "run");
    assertThat(next.exitCode).as(next.toString()).isZero();
    assertThat(next.stdout).contains("Batch 2 of kafka://").doesNotContain("[warning]");
    assertThat(archives(home)).hasSize(1).allMatch(name -> name.endsWith(".jsa"));
    source.assertEveryMessageOnce();

    // a flight recording (or a Java agent) turns class-data sharing off: JDK 17 crashes when a
    // class file load hook meets the archive's classes of Flink's own class loaders
    source.produce(1);
    Path recording = installed.resolve("run.jfr");
    JobRunner.Result recorded =
        JobRunner.startLauncher(
                home,
                source.workDir,
                source.settings,
                Map.of("JAVA_OPTS", "-XX:StartFlightRecording=filename=" + recording),
                "run")
            .await();
    assertThat(recorded.exitCode).as(recorded.toString()).isZero();
    assertThat(recorded.stdout).contains("Batch 3 of kafka://");
    assertThat(recording).isRegularFile();
    source.assertEveryMessageOnce();
  }

  private static List<String> archives(Path home) throws IOException {
    Path cds = home.resolve("cds");
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cds)) {
      return files.map(file -> file.getFileName().toString()).collect(Collectors.toList());
    }
  }
}
