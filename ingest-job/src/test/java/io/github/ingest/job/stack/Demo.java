package io.github.ingest.job.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The end-to-end demo: starts a Kafka broker and an S3 server on loopback, produces sample
 * balance-change messages, unpacks the release and runs its launcher once, and prints rows read
 * back from the Iceberg table and the data files in the bucket. Everything is stopped and deleted
 * at the end.
 */
public final class Demo {

  private static final String TOPIC = "balance_changes";
  private static final String BUCKET = "lake";
  private static final int MESSAGES = 300;
  private static final int ROWS_SHOWN = 10;

  private Demo() {}

  public static void main(String[] args) throws Exception {
    int exitCode;
    try (LocalStack stack = LocalStack.start()) {
      exitCode = run(stack);
    }
    System.exit(exitCode);
  }

  private static int run(LocalStack stack) throws Exception {
    System.out.printf(
        "Started Kafka at %s and S3 at %s%n",
        stack.kafka().bootstrapServers(), stack.s3().endpoint());
    stack.kafka().createTopic(TOPIC, 2);
    stack.s3().createBucket(BUCKET);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (BalanceChangeMessage message : BalanceChangeMessage.sample(2023, MESSAGES)) {
        producer.send(new ProducerRecord<>(TOPIC, message.json()));
      }
    }
    System.out.printf("Produced %d balance-change messages to topic %s%n%n", MESSAGES, TOPIC);

    Path home = JobRunner.installRelease(stack.newDirectory("release-"));
    System.out.printf("Unpacked the release to %s%n", home.getFileName());
    Path workDir = stack.newDirectory("demo-");
    Map<String, String> settings =
        stack.jobSettings(TOPIC, "lake.balance_changes", BUCKET, workDir);
    System.out.println("$ bin/ingest-job run --kafka.topic=" + TOPIC + " ...");
    JobRunner.Result run = JobRunner.runLauncher(home, workDir, settings, "run");
    System.out.print(run.stdout);
    if (run.exitCode != 0) {
      System.out.print(run.stderr);
      return run.exitCode;
    }

    Table table = TableReader.load(settings);
    List<Record> rows = TableReader.rows(table);
    System.out.printf(
        "%nRead %d rows back from table %s; the first %d:%n",
        rows.size(), table.name(), ROWS_SHOWN);
    List<String> columns =
        table.schema().columns().stream().map(Types.NestedField::name).collect(Collectors.toList());
    List<String> valueColumns =
        columns.stream()
            .filter(c -> c.startsWith("bln_chg_") || c.equals("flink_log_event_timestamp"))
            .collect(Collectors.toList());
    List<String> batchColumns =
        columns.stream().filter(c -> !valueColumns.contains(c)).collect(Collectors.toList());
    if (!rows.isEmpty()) {
      System.out.println("  every row's batch columns, from its first row:");
      batchColumns.forEach(c -> System.out.printf("    %s = %s%n", c, rows.get(0).getField(c)));
    }
    System.out.println("  " + String.join(" | ", valueColumns));
    for (Record row : rows.subList(0, Math.min(ROWS_SHOWN, rows.size()))) {
      System.out.println(
          valueColumns.stream()
              .map(column -> String.valueOf(row.getField(column)))
              .collect(Collectors.joining(" | ", "  ", "")));
    }
    List<String> dataFiles =
        stack.s3().keys(BUCKET).stream()
            .filter(key -> key.endsWith(".parquet"))
            .collect(Collectors.toList());
    System.out.printf(
        "%n%d data files in bucket %s, one per day of bln_chg_timestamp; the first %d:%n",
        dataFiles.size(), BUCKET, Math.min(ROWS_SHOWN, dataFiles.size()));
    dataFiles.stream()
        .limit(ROWS_SHOWN)
        .forEach(key -> System.out.println("  s3://" + BUCKET + "/" + key));
    return rows.size() == MESSAGES ? 0 : 1;
  }
}
