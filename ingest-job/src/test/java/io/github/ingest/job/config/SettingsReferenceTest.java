package io.github.ingest.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/settings.md} is what the declared settings generate, so it never drifts from them.
 * After changing a setting, write it again with {@code ./mvnw -pl ingest-job test
 * -Dtest=SettingsReferenceTest -Dsettings.write=true}.
 */
class SettingsReferenceTest {

  private static final Path FILE = Paths.get("..", "docs", "settings.md");

  @Test
  void theSettingsPageIsTheDeclaredSettings() throws IOException {
    String generated = SettingsReference.markdown();
    if (Boolean.getBoolean("settings.write")) {
      Files.writeString(FILE, generated, StandardCharsets.UTF_8);
    }
    for (ConfigOption<?> option : JobOptions.all()) {
      assertThat(generated).contains("| `" + option.key() + "` |");
    }
    assertThat(generated).as("every concern has a title").doesNotContain("## null");
    assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
        .as("docs/settings.md is out of date: see this test's comment")
        .isEqualTo(generated);
  }

  @Test
  void theExampleFileOfTheReleaseIsValidSettings() {
    JobConf example = JobConf.parse("--config", "../conf/ingest.properties.example");
    assertThat(example.kafka().topic()).isEqualTo("balance_changes");
    assertThat(example.kafka().groupId()).isEqualTo("ingest-balance-changes");
    assertThat(example.tables().table().toString()).isEqualTo("lake.balance_changes");
    assertThat(example.tables().catalogProperties())
        .containsEntry("uri", "jdbc:postgresql://catalog-db:5432/iceberg")
        .containsEntry("warehouse", "s3://lake/warehouse");
  }
}
