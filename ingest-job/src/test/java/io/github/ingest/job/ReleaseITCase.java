package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The release tarball as a user installs it: unpacked, its launcher run. */
@ExtendWith(LocalStackExtension.class)
class ReleaseITCase {

  @Test
  void theLauncherOfTheUnpackedTarballPrintsItsVersionsAndRunsABatch(LocalStack stack)
      throws Exception {
    Path tarball = Paths.get(System.getProperty("ingest.job.release"));
    assertThat(tarball).exists();
    Path installed = stack.newDirectory("release-");
    Process untar =
        new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", installed.toString())
            .inheritIO()
            .start();
    assertThat(untar.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(untar.exitValue()).isZero();
    Path home;
    try (var entries = Files.list(installed)) {
      home = entries.findFirst().orElseThrow();
    }
    assertThat(home.getFileName().toString()).startsWith("ingest-job-");
    assertThat(home.resolve("lib")).isDirectory();
    assertThat(home.resolve("plugins")).isDirectory();
    assertThat(home.resolve("docs/batches.md")).exists();
    String launcher = home.resolve("bin/ingest-job").toString();

    JobRunner.Result version = JobRunner.start(installed, List.of(launcher, "--version")).await();
    assertThat(version.exitCode).as(version.toString()).isZero();
    assertThat(version.stdout)
        .startsWith("ingest-job " + home.getFileName().toString().substring("ingest-job-".length()))
        .contains("Flink 1.17.1")
        .contains("Iceberg 1.3.0")
        .contains("Kafka client 3.2.3");

    Scenario source = Scenario.create(stack, "released", 1);
    source.produce(7);
    List<String> run = new ArrayList<>(List.of(launcher, "run"));
    source.settings.forEach((key, value) -> run.add("--" + key + "=" + value));
    JobRunner.Result batch = JobRunner.start(source.workDir, run).await();
    assertThat(batch.exitCode).as(batch.toString()).isZero();
    assertThat(batch.stdout).contains("Batch 1 of kafka://").contains("7 read, 7 written");
    source.assertEveryMessageOnce();
  }
}
