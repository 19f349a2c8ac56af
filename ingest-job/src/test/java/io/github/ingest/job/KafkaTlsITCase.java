package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import io.github.ingest.kafka.testing.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS to Kafka: a broker listener with certificates made at test time, the job with a trust store.
 */
@ExtendWith(LocalStackExtension.class)
class KafkaTlsITCase {

  @Test
  void ingestsOverTlsAndRefusesAnUntrustedBrokerInOneLine(LocalStack stack) throws Exception {
    Scenario source = Scenario.create(stack, "over_tls", 2);
    source.produce(12);
    source.settings.put("kafka.bootstrap-servers", stack.kafka().tlsBootstrapServers());
    source.settings.put("kafka.properties.security.protocol", "SSL");
    source.settings.put("kafka.properties.ssl.truststore.type", "PKCS12");
    source.settings.put("kafka.properties.ssl.truststore.password", KafkaBroker.TLS_PASSWORD);

    source.settings.put(
        "kafka.properties.ssl.truststore.location", stack.kafka().foreignTruststore().toString());
    JobRunner.Result refused = source.run();

    assertThat(refused.exitCode).as(refused.toString()).isEqualTo(IngestJob.EXIT_BAD_CONFIG);
    assertThat(refused.stderr)
        .contains("\ningest: nothing started: Kafka refused the job: SSL handshake failed")
        .contains("(see kafka.properties.security.protocol, ssl.truststore.location and")
        .doesNotContain("\tat ")
        .doesNotContain(KafkaBroker.TLS_PASSWORD);
    assertThat(TableReader.exists(source.settings, Scenario.TABLE)).isFalse();

    source.settings.put(
        "kafka.properties.ssl.truststore.location", stack.kafka().truststore().toString());
    JobRunner.Result run = source.run();

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.stdout).contains("Batch 1 of kafka://").contains("12 read, 12 written");
    assertThat(run.stderr).doesNotContain(KafkaBroker.TLS_PASSWORD);
    source.assertEveryMessageOnce();
    assertThat(source.groupOffsets()).isEqualTo(source.batches().get(0).stopOffsets());
  }
}
