package io.github.ingest.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.kafka.source.StartingPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfTest {

  @Test
  void readsAFileAndLetsFlagsWin(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ingest.properties");
    Files.write(
        file,
        List.of(
            "kafka.bootstrap-servers=a:9092",
            "kafka.topic=balance_changes",
            "kafka.properties.security.protocol=SASL_SSL",
            "kafka.properties.ssl.truststore.password=sealed",
            "catalog.uri=jdbc:postgresql://db:5432/iceberg?user=ingest&password=pw1&ssl=true",
            "catalog.warehouse=s3://lake/warehouse",
            "catalog.s3.endpoint=http://127.0.0.1:9000",
            "catalog.s3.secret-access-key=hush"));
    JobConf conf =
        JobConf.parse("run", "--config", file.toString(), "--kafka.bootstrap-servers=b:9092");
    assertThat(conf.kafka().bootstrapServers()).isEqualTo("b:9092");
    assertThat(conf.kafka().topic()).isEqualTo("balance_changes");
    assertThat(conf.kafka().sourceName()).isEqualTo("balance_changes");
    assertThat(conf.kafka().properties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("bootstrap.servers", "b:9092")
        .containsEntry("group.id", "ingest");
    assertThat(conf.tables().catalogProperties())
        .containsEntry("type", "jdbc")
        .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
        .containsEntry("client.region", "us-east-1")
        .containsEntry("warehouse", "s3://lake/warehouse");
    assertThat(conf.describe())
        .contains("catalog.s3.secret-access-key=******")
        .contains("kafka.properties.ssl.truststore.password=******")
        .contains(
            "catalog.uri=jdbc:postgresql://db:5432/iceberg?user=ingest&password=******&ssl=true")
        .doesNotContain("hush")
        .doesNotContain("sealed")
        .doesNotContain("pw1");
  }

  @Test
  void hidesSecretsByKafkasPasswordTypeFlinksSensitiveKeysAndUrlPasswords() {
    assertThat(Secrets.shown("kafka.properties.ssl.key.password", "k")).isEqualTo("******");
    assertThat(Secrets.shown("kafka.properties.sasl.jaas.config", "j")).isEqualTo("******");
    assertThat(Secrets.shown("catalog.rest.apikey", "a")).isEqualTo("******");
    assertThat(Secrets.shown("catalog.token", "t")).isEqualTo("******");
    assertThat(Secrets.shown("catalog.uri", "jdbc:postgresql://ingest:pw2@db/iceberg"))
        .isEqualTo("jdbc:postgresql://ingest:******@db/iceberg");
    assertThat(Secrets.shown("kafka.properties.ssl.truststore.location", "/etc/ts.jks"))
        .isEqualTo("/etc/ts.jks");
  }

  @Test
  void refusesCatalogsThatWouldLoseATableOnS3() {
    String[] onS3 = {
      "--kafka.bootstrap-servers=a:9092", "--kafka.topic=t", "--catalog.warehouse=s3://lake/w"
    };
    assertThatThrownBy(() -> JobConf.parse(onS3))
        .hasMessageStartingWith(
            "Invalid catalog for warehouse s3://lake/w: the default catalog is a SQLite file on"
                + " this machine (jdbc:sqlite:ingest-catalog.db)")
        .hasMessageEndingWith(
            "Set catalog.uri to a shared catalog database (e.g."
                + " jdbc:postgresql://...), or catalog.type");
    assertThat(JobConf.parse(append(onS3, "--catalog.uri=jdbc:sqlite:/shared/catalog.db")))
        .isNotNull();
    assertThatThrownBy(() -> JobConf.parse(append(onS3, "--catalog.type=hadoop")))
        .hasMessageContaining("a Hadoop catalog commits by renaming files")
        .hasMessageEndingWith("set catalog.allow-hadoop-on-s3=true to accept the risk");
    assertThat(
            JobConf.parse(
                append(onS3, "--catalog.type=hadoop", "--catalog.allow-hadoop-on-s3=true")))
        .isNotNull();
  }

  @Test
  void checksKafkaClientPropertiesAgainstKafkasOwnSettings() {
    assertThatThrownBy(
            () ->
                JobConf.parse(
                    "--kafka.bootstrap-servers=a:9092",
                    "--kafka.topic=t",
                    "--kafka.properties.sasl.mechansim=PLAIN"))
        .hasMessage(
            "Unknown Kafka client property: kafka.properties.sasl.mechansim (not a setting of"
                + " Kafka's consumer or admin client; did you mean"
                + " kafka.properties.sasl.mechanism?)");
    JobConf providers =
        JobConf.parse(
            "--kafka.bootstrap-servers=a:9092",
            "--kafka.topic=t",
            "--kafka.properties.config.providers=file",
            "--kafka.properties.config.providers.file.class="
                + "org.apache.kafka.common.config.provider.FileConfigProvider",
            "--kafka.properties.sasl.jaas.config=${file:/etc/secrets.properties:jaas}");
    assertThat(providers.kafka().properties()).containsEntry("config.providers", "file");
  }

  private static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  @Test
  void takesEnvironmentVariablesOverTheFileAndFlagsOverBoth(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ingest.properties");
    Files.write(
        file,
        List.of("kafka.bootstrap-servers=file:9092", "kafka.topic=from_file", "kafka.group-id=g1"));
    Map<String, String> env = new HashMap<>();
    env.put("INGEST_CONFIG", file.toString());
    env.put("INGEST_KAFKA_TOPIC", "from_env");
    env.put("INGEST_KAFKA_GROUP_ID", "g2");
    env.put("INGEST_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "PlainLoginModule password=\"hush\";");
    env.put("INGEST_CATALOG_S3_SECRET_ACCESS_KEY", "quiet");
    env.put("INGEST_CATALOG_JDBC_USER", "ingest");
    env.put("INGEST_PROGRESS_INTERVAL", "2 s");
    env.put("INGEST_KAFKA_TOPICS", "typo");
    env.put("PATH", "/bin");

    JobConf conf = JobConf.parse(env, "--kafka.group-id", "g3");

    assertThat(conf.kafka().bootstrapServers()).isEqualTo("file:9092");
    assertThat(conf.kafka().topic()).isEqualTo("from_env");
    assertThat(conf.kafka().groupId()).isEqualTo("g3");
    assertThat(conf.run().progressInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(conf.kafka().properties())
        .containsEntry("sasl.jaas.config", "PlainLoginModule password=\"hush\";");
    assertThat(conf.tables().catalogProperties())
        .containsEntry("s3.secret-access-key", "quiet")
        .containsEntry("jdbc.user", "ingest");
    assertThat(conf.warnings())
        .containsExactly(
            "ignoring environment variable INGEST_KAFKA_TOPICS: not a setting (did you mean"
                + " INGEST_KAFKA_TOPIC?)");
    assertThat(conf.describe())
        .contains("kafka.properties.sasl.jaas.config=******")
        .contains("catalog.s3.secret-access-key=******")
        .doesNotContain("hush")
        .doesNotContain("quiet");
  }

  @Test
  void defaultsToAnEmbeddedCatalogAndALocalWarehouse() {
    JobConf conf = JobConf.parse("--kafka.bootstrap-servers", "a:9092", "--kafka.topic", "t");
    assertThat(conf.tables().catalogProperties())
        .containsEntry("uri", "jdbc:sqlite:ingest-catalog.db")
        .doesNotContainKey("io-impl");
    assertThat(conf.tables().catalogProperties().get("warehouse")).matches("file:/.*/warehouse/?");
    assertThat(conf.tables().table().toString()).isEqualTo("ingest.balance_changes");
  }

  @Test
  void plansFromTheGroupThenTheStartingPositionWithoutCapByDefault() {
    JobConf conf = JobConf.parse("--kafka.bootstrap-servers", "a:9092", "--kafka.topic", "t");
    assertThat(conf.planOnly()).isFalse();
    assertThat(conf.kafka().commitGroupOffsets()).isTrue();
    assertThat(conf.kafka().planOptions().groupId()).isEqualTo("ingest");
    assertThat(conf.kafka().planOptions().startingPosition()).isEqualTo(StartingPosition.EARLIEST);
    assertThat(conf.kafka().planOptions().skipLostOffsets()).isFalse();
    assertThat(conf.kafka().planOptions().maxOffsetsPerPartition()).isZero();

    JobConf plan =
        JobConf.parse(
            "plan",
            "--kafka.bootstrap-servers=a:9092",
            "--kafka.topic=t",
            "--kafka.starting-offsets=timestamp:2026-11-01T00:00:00Z",
            "--kafka.on-lost-offsets=skip",
            "--batch.max-offsets-per-partition=1000");
    assertThat(plan.planOnly()).isTrue();
    assertThat(plan.kafka().planOptions().startingPosition().timestampMillis())
        .isEqualTo(Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
    assertThat(plan.kafka().planOptions().skipLostOffsets()).isTrue();
    assertThat(plan.kafka().planOptions().maxOffsetsPerPartition()).isEqualTo(1000);
  }

  @Test
  void namesABadPlanningSetting() {
    assertThatThrownBy(
            () ->
                JobConf.parse(
                    "--kafka.bootstrap-servers=a:9092",
                    "--kafka.topic=t",
                    "--kafka.on-lost-offsets=ignore"))
        .hasMessage("Invalid value for kafka.on-lost-offsets: ignore (expected fail or skip)");
    assertThatThrownBy(
            () ->
                JobConf.parse(
                    "--kafka.bootstrap-servers=a:9092",
                    "--kafka.topic=t",
                    "--kafka.starting-offsets=yesterday"))
        .hasMessageContaining("Invalid starting position 'yesterday'");
    assertThatThrownBy(
            () ->
                JobConf.parse(
                    "--kafka.bootstrap-servers=a:9092",
                    "--kafka.topic=t",
                    "--batch.max-offsets-per-partition=-5"))
        .hasMessageContaining("Invalid maximum offsets per partition: -5");
  }

  @Test
  void namesWhatIsWrong() {
    assertThatThrownBy(() -> JobConf.parse("--kafka.topic", "t"))
        .hasMessage(
            "Missing setting kafka.bootstrap-servers: Kafka bootstrap servers, e.g."
                + " broker-1:9092,broker-2:9092. Required.");
    assertThatThrownBy(() -> JobConf.parse("--kafka.bootstrap-server", "a", "--kafka.topic", "t"))
        .hasMessage(
            "Unknown setting: kafka.bootstrap-server (did you mean kafka.bootstrap-servers?)");
    assertThatThrownBy(() -> JobConf.parse("--security.protocol", "SSL"))
        .hasMessage(
            "Unknown setting: security.protocol (Kafka client properties go under"
                + " kafka.properties.*)");
    assertThatThrownBy(() -> JobConf.parse("--kafka.topic"))
        .hasMessage("Invalid argument: --kafka.topic has no value");
    assertThatThrownBy(() -> JobConf.parse("topic"))
        .hasMessage("Invalid argument: topic (expected --key value, --config FILE or --help)");
    assertThatThrownBy(
            () -> JobConf.parse("--kafka.bootstrap-servers=a", "--kafka.topic=t", "--table=flat"))
        .hasMessage("Invalid value for table: flat (expected namespace.name)");
    assertThatThrownBy(
            () ->
                JobConf.parse(
                    "--kafka.bootstrap-servers=a", "--kafka.topic=t", "--kafka.timeout=x"))
        .hasMessageStartingWith("Invalid setting: ");
    assertThatThrownBy(() -> JobConf.parse("--config", "/nonexistent/ingest.properties"))
        .hasMessageStartingWith("Cannot read config file /nonexistent/ingest.properties");
  }

  @Test
  void generatesHelpFromTheDeclaredOptions() {
    assertThat(JobConf.asksForHelp("--config", "x.properties", "--help")).isTrue();
    assertThat(JobConf.asksForHelp("run", "--maintain", "-h")).isTrue();
    assertThat(JobConf.asksForHelp("--kafka.topic", "-h")).as("a value, not a flag").isFalse();
    assertThatThrownBy(() -> JobConf.parse("--kafka.topic=t", "-h"))
        .hasMessageContaining("the help text needs no settings");
    String help = JobConf.helpText();
    String words = help.replaceAll("\\s+", " ");
    for (ConfigOption<?> option : JobOptions.all()) {
      assertThat(help)
          .contains("  " + option.key())
          .contains("[" + JobOptions.envName(option.key()) + "]");
      assertThat(words).contains(JobOptions.text(option));
    }
    assertThat(help)
        .contains("kafka.timeout (default: 30 s) [INGEST_KAFKA_TIMEOUT]")
        .contains("  4  another run committed this batch first");
  }

  @Test
  void flinkSettingsPassThroughToTheEmbeddedClusterFromFlagsAndVariables() {
    JobConf conf =
        JobConf.parse(
            Map.of(
                "INGEST_FLINK_TASKMANAGER_NUMBEROFTASKSLOTS", "3",
                "INGEST_FLINK_METRICS_REPORTER_P_PASSWORD", "hush"),
            "--kafka.bootstrap-servers=a:9092",
            "--kafka.topic=t",
            "--flink.metrics.reporter.p.factory.class=org.example.Factory");

    assertThat(conf.run().flinkSettings())
        .containsEntry("taskmanager.numberoftaskslots", "3")
        .containsEntry("metrics.reporter.p.factory.class", "org.example.Factory")
        .containsEntry("metrics.reporter.p.password", "hush");
    assertThat(conf.warnings()).isEmpty();
    assertThat(conf.describe())
        .contains("flink.metrics.reporter.p.factory.class=org.example.Factory")
        .contains("flink.metrics.reporter.p.password=******")
        .doesNotContain("hush");
  }

  @Test
  void theRunsFiguresGoWhereTheSettingsSay() {
    JobConf quiet = JobConf.parse("--kafka.bootstrap-servers=a:9092", "--kafka.topic=t");
    assertThat(quiet.run().pushgatewayUrl()).isEmpty();
    assertThat(quiet.run().summaryJson()).isEmpty();
    assertThat(quiet.run().pushgatewayJob()).isEqualTo("ingest");

    JobConf told =
        JobConf.parse(
            "--kafka.bootstrap-servers=a:9092",
            "--kafka.topic=t",
            "--metrics.pushgateway.url=http://gw:9091",
            "--summary-json",
            "out/summary.json");
    assertThat(told.run().pushgatewayUrl()).contains("http://gw:9091");
    assertThat(told.run().summaryJson()).contains(java.nio.file.Paths.get("out/summary.json"));
  }

  @Test
  void aTombstonePolicyMustFitTheBadRecordPolicyAndTheMapping() {
    String[] base = {"--kafka.bootstrap-servers=a:9092", "--kafka.topic=t"};
    assertThat(JobConf.parse(base).badRecords().tombstonePolicy())
        .isEqualTo(io.github.ingest.core.internal.TombstonePolicy.SKIP);
    assertThatThrownBy(
            () ->
                JobConf.parse(
                    append(
                        append(base, "--tombstones.policy=dead-letter"),
                        "--bad-records.policy=skip")))
        .hasMessage(
            "Invalid value for tombstones.policy: dead-letter needs bad-records.policy=dead-letter,"
                + " which keeps the dead-letter table (it is skip)");
    assertThatThrownBy(() -> JobConf.parse(append(base, "--tombstones.policy=row")))
        .hasMessage(
            "Invalid value for tombstones.policy: row leaves every column from the value NULL, but"
                + " column flink_log_event_timestamp of mapping balance_changes is required");
    assertThatThrownBy(() -> JobConf.parse(append(base, "--tombstones.policy=keep")))
        .hasMessage(
            "Invalid value for tombstones.policy: keep (expected skip, dead-letter, row or"
                + " bad-record)");
  }

  @Test
  void deduplicationIsOffUnlessAKeyIsNamedAndItsSettingsFitTheMapping() {
    String[] base = {"--kafka.bootstrap-servers=a:9092", "--kafka.topic=t"};
    assertThat(JobConf.parse(base).dedup().enabled()).isFalse();

    JobConf on = JobConf.parse(append(base, "--dedup.key= bln_chg_key, bln_chg_player_id "));
    assertThat(on.dedup().keyColumns()).containsExactly("bln_chg_key", "bln_chg_player_id");
    assertThat(on.dedup().window()).isEqualTo(7);
    assertThat(on.dedup().duplicates())
        .isEqualTo(io.github.ingest.iceberg.dedup.Deduplication.Action.DEAD_LETTER);
    assertThat(
            JobConf.parse(append(append(base, "--dedup.key=bln_chg_key"), "--dedup.window=ALL"))
                .dedup()
                .window())
        .isEqualTo(io.github.ingest.iceberg.dedup.Deduplication.ALL);

    assertThatThrownBy(
            () ->
                JobConf.parse(append(append(base, "--dedup.key=bln_chg_key"), "--dedup.window=-2")))
        .hasMessage(
            "Invalid value for dedup.window: -2 (a number of partitions, 0 or more, or all)");
    assertThatThrownBy(() -> JobConf.parse(append(base, "--dedup.key=id")))
        .hasMessage("Invalid value for dedup.key: id is not a column of mapping balance_changes");
    assertThatThrownBy(
            () ->
                JobConf.parse(
                    append(append(base, "--dedup.key=bln_chg_key"), "--bad-records.policy=fail")))
        .hasMessage(
            "Invalid value for dedup.duplicates: dead-letter needs bad-records.policy=dead-letter,"
                + " which keeps the dead-letter table (it is fail); or set dedup.duplicates=skip");
    assertThat(
            JobConf.parse(
                    append(
                        append(
                            append(base, "--dedup.key=bln_chg_key"), "--bad-records.policy=fail"),
                        "--dedup.duplicates=skip"))
                .dedup()
                .duplicates())
        .isEqualTo(io.github.ingest.iceberg.dedup.Deduplication.Action.SKIP);
  }

  @Test
  void withABusinessKeyABatchHoldsAtMostTheKeysOfDedupMaxBatchRecords() {
    String[] base = {"--kafka.bootstrap-servers=a:9092", "--kafka.topic=t"};
    io.github.ingest.kafka.source.PlanOptions plan =
        io.github.ingest.kafka.source.PlanOptions.forGroup("g");
    assertThat(JobConf.parse(base).dedup().capped(plan, 4).maxOffsetsPerPartition()).isZero();
    JobConf on = JobConf.parse(append(base, "--dedup.key=bln_chg_key"));
    assertThat(on.dedup().capped(plan, 4).maxOffsetsPerPartition()).isEqualTo(1_250_000);
    assertThat(on.dedup().capped(plan, 3).maxOffsetsPerPartition()).isEqualTo(1_666_667);
    assertThat(on.dedup().capped(plan.maxOffsetsPerPartition(100), 4).maxOffsetsPerPartition())
        .as("a lower cap of the run's own stays")
        .isEqualTo(100);
    JobConf small =
        JobConf.parse(
            append(append(base, "--dedup.key=bln_chg_key"), "--dedup.max-batch-records=10"));
    assertThat(small.dedup().capped(plan, 4).maxOffsetsPerPartition()).isEqualTo(3);
  }
}
