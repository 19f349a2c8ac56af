package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import java.nio.file.Path;
import java.util.List;
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
    JobRunner.Result batch = JobRunner.runLauncher(home, source.workDir, source.settings, "run");
    assertThat(batch.exitCode).as(batch.toString()).isZero();
    assertThat(batch.stdout).contains("Batch 1 of kafka://").contains("7 read, 7 written");
    source.assertEveryMessageOnce();
  }
}
