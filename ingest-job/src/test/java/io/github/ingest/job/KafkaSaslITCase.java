package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import io.github.ingest.kafka.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The job against a broker listener that wants SASL/PLAIN, set up by pass-through properties. */
@ExtendWith(LocalStackExtension.class)
class KafkaSaslITCase {

  @Test
  void ingestsThroughSaslAndRefusesAWrongPasswordInOneLine(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "sasl", 2);
    source.produce(50);
    source.settings.put("kafka.bootstrap-servers", stack.kafka().saslBootstrapServers());
    source.settings.put("kafka.properties.security.protocol", "SASL_PLAINTEXT");
    source.settings.put("kafka.properties.sasl.mechanism", "PLAIN");

    source.settings.put("kafka.properties.sasl.jaas.config", jaas("not-the-password"));
    JobRunner.Result refused = source.run();

    assertThat(refused.exitCode).as(refused.toString()).isEqualTo(IngestJob.EXIT_BAD_CONFIG);
    assertThat(refused.stderr)
        .contains(
            "\ningest: nothing started: Kafka refused the job: Authentication failed: Invalid"
                + " username or password (see kafka.properties.security.protocol, sasl.mechanism"
                + " and sasl.jaas.config)\n")
        .doesNotContain("\tat ")
        .doesNotContain("not-the-password");
    assertThat(TableReader.exists(source.settings, Scenario.TABLE))
        .as("a run that Kafka refused creates no table")
        .isFalse();

    // the right password, from the environment, with every logger at INFO: never printed
    source.settings.remove("kafka.properties.sasl.jaas.config");
    Path logConfig = source.workDir.resolve("log4j2-info.properties");
    Files.write(
        logConfig,
        List.of(
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.console.ref = console",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %-5p %c{1} - %m%n"),
        StandardCharsets.UTF_8);
    JobRunner.Result run =
        JobRunner.start(
                source.workDir,
                source.settings,
                List.of("-Dlog4j2.configurationFile=" + logConfig),
                Map.of("INGEST_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", jaas(KafkaBroker.SASL_PASSWORD)))
            .await();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("50 read, 50 written, 0 rejected");
    assertThat(run.stdout)
        .as("the run logged at INFO")
        .contains("sasl.jaas.config = [hidden]")
        .contains("kafka.properties.sasl.jaas.config=******");
    assertThat(run.stdout + run.stderr).doesNotContain(KafkaBroker.SASL_PASSWORD);
    source.assertEveryMessageOnce();
    assertThat(source.groupOffsets()).containsEntry(0, 25L).containsEntry(1, 25L);
  }

  private static String jaas(String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + KafkaBroker.SASL_USER
        + "\" password=\""
        + password
        + "\";";
  }
}
