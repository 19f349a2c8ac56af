package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.job.stack.BalanceChangeMessage;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.LocalStackExtension;
import io.github.ingest.job.stack.TableReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same range of a topic ingested under each routing: the tables hold the same rows, value for
 * value, and each routing writes the files it promises.
 */
@ExtendWith(LocalStackExtension.class)
class RoutingITCase {

  /** The columns that record the run itself, which differ from run to run. */
  private static final Set<String> RUN_COLUMNS =
      Set.of("flink_log_file_name", "flink_log_batch_timestamp");

  @Test
  void everyRoutingWritesTheSameRows(LocalStack stack) throws Exception {
    String topic = "routing_same_rows";
    String bucket = "lake-routing";
    stack.kafka().createTopic(topic, 4);
    stack.s3().createBucket(bucket);
    List<BalanceChangeMessage> messages = BalanceChangeMessage.sample(7, 800);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (int i = 0; i < messages.size(); i++) {
        producer.send(new ProducerRecord<>(topic, i % 4, null, messages.get(i).json())).get();
      }
    }

    Map<String, Map<String, List<Object>>> rowsByRouting = new TreeMap<>();
    Map<String, Map<String, Integer>> filesByRouting = new TreeMap<>();
    for (String routing : List.of("partition", "writer", "auto")) {
      Path workDir = stack.newDirectory("routing-" + routing + "-");
      Map<String, String> settings =
          stack.jobSettings(topic, "lake.routed_" + routing, bucket, workDir);
      settings.put("kafka.group-id", "routed-" + routing);
      settings.put("job.parallelism", "2");
      settings.put("batch.routing", routing);

      JobRunner.Result run = JobRunner.run(workDir, settings);

      assertThat(run.exitCode).as(run.toString()).isZero();
      assertThat(run.stdout)
          .contains("800 read, 800 written, 0 rejected")
          .contains(
              routing.equals("writer")
                  ? "routing: by writer, as batch.routing is writer"
                  : routing.equals("partition")
                      ? "routing: by partition, as batch.routing is partition"
                      // 800 offsets are far below a row group a writer
                      : "routing: by partition, as an estimated");
      Table table = TableReader.load(settings);
      rowsByRouting.put(routing, rowsByKey(table));
      filesByRouting.put(routing, filesByPartition(table));
    }

    assertThat(rowsByRouting.get("partition")).hasSize(800);
    assertThat(rowsByRouting.get("writer")).isEqualTo(rowsByRouting.get("partition"));
    assertThat(rowsByRouting.get("auto")).isEqualTo(rowsByRouting.get("partition"));
    // by partition: one file in each partition; by writer: each writer a file of the partitions
    // its reader's records fall into, so some partitions get two
    assertThat(filesByRouting.get("partition").values()).containsOnly(1);
    assertThat(filesByRouting.get("auto").values()).containsOnly(1);
    assertThat(filesByRouting.get("writer").values()).contains(2);
    assertThat(filesByRouting.get("writer").keySet())
        .isEqualTo(filesByRouting.get("partition").keySet());
  }

  /** Each row's values but those of the run, by its key. */
  private static Map<String, List<Object>> rowsByKey(Table table) {
    Map<String, List<Object>> rows = new HashMap<>();
    for (Record record : TableReader.rows(table)) {
      List<Object> values = new ArrayList<>();
      for (Types.NestedField column : table.schema().columns()) {
        if (!RUN_COLUMNS.contains(column.name())) {
          values.add(record.getField(column.name()));
        }
      }
      rows.put((String) record.getField("bln_chg_key"), values);
    }
    return rows;
  }

  private static Map<String, Integer> filesByPartition(Table table) throws IOException {
    Map<String, Integer> files = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        files.merge(task.file().partition().toString(), 1, Integer::sum);
      }
    }
    return files;
  }
}
