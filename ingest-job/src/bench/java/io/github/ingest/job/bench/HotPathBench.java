package io.github.ingest.job.bench;

import io.github.ingest.job.config.BalanceChanges;
import io.github.ingest.core.batch.BatchMetadata;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.RecordMapper;
import io.github.ingest.iceberg.table.TableSchemas;
import io.github.ingest.kafka.mapping.RowConverter;
import io.github.ingest.kafka.source.KafkaMessage;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.JsonRowDataDeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.Files;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.data.FlinkParquetWriters;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot path, per record: bytes to row, ours against Flink 1.17's JSON format on the original
 * sketch's Kafka table schema, and rows to Parquet through Iceberg's Flink writers with each codec.
 * The messages are the benchmark harness's realistic ones.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HotPathBench {

  private static final int MESSAGES = 4096;
  private static final int ROWS_PER_FILE = 200_000;

  private KafkaMessage[] records;
  private RecordMapper mapper;
  private RowConverter converter;
  private JsonRowDataDeserializationSchema flinkJson;
  private RowData[] rows;
  private Schema schema;
  private RowType flinkRowType;
  private File file;
  private int next;

  /** The Parquet codec: ours, and Iceberg 1.3.0's default. */
  @State(Scope.Thread)
  public static class Codec {
    @Param({"zstd", "gzip"})
    public String name;
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Mapping mapping = BalanceChanges.mapping();
    mapper =
        mapping.mapper(
            BatchMetadata.builder()
                .number(1)
                .start(Instant.parse("2026-11-24T10:00:00Z"))
                .sourceEndpoint("127.0.0.1:9092")
                .clientId("ingest")
                .sourceName("bench")
                .build());
    converter = new RowConverter(mapping);
    Random random = new Random(20261124);
    records = new KafkaMessage[MESSAGES];
    rows = new RowData[MESSAGES];
    for (int i = 0; i < MESSAGES; i++) {
      records[i] = KafkaMessage.of("bench", i % 4, i, 0L, null, Bench.message(random, i));
      rows[i] = converter.toRowData(mapper.map(records[i]));
    }
    RowType sketchSchema =
        (RowType)
            DataTypes.ROW(
                    DataTypes.FIELD("playerId", DataTypes.STRING()),
                    DataTypes.FIELD("currency", DataTypes.STRING()),
                    DataTypes.FIELD("portalId", DataTypes.STRING()),
                    DataTypes.FIELD("realBalance", DataTypes.DECIMAL(29, 17)),
                    DataTypes.FIELD("bonusBalance", DataTypes.DECIMAL(29, 17)),
                    DataTypes.FIELD("timestamp", DataTypes.STRING()),
                    DataTypes.FIELD("id", DataTypes.STRING()),
                    DataTypes.FIELD("realBalanceEUR", DataTypes.DECIMAL(29, 17)),
                    DataTypes.FIELD("bonusBalanceEUR", DataTypes.DECIMAL(29, 17)))
                .getLogicalType();
    flinkJson =
        new JsonRowDataDeserializationSchema(
            sketchSchema,
            InternalTypeInfo.of(sketchSchema),
            false,
            true,
            TimestampFormat.ISO_8601);
    schema = TableSchemas.schema(mapping);
    flinkRowType = FlinkSchemaUtil.convert(schema);
    file = File.createTempFile("hot-path-", ".parquet");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    file.delete();
  }

  /**
   * The hot path's CPU time per record in a warm JVM, for the benchmark harness: mapping (bytes to
   * row) plus Parquet with zstd, each run 5 s to warm up, then measured for 5 s on this thread.
   */
  public static void main(String[] args) throws Exception {
    HotPathBench bench = new HotPathBench();
    bench.setUp();
    try {
      Codec zstd = new Codec();
      zstd.name = "zstd";
      double mapping = cpuNanosPerCall(bench::bytesToRowOurs, 1);
      double parquet = cpuNanosPerCall(() -> bench.rowsToParquet(zstd), ROWS_PER_FILE);
      System.out.printf(
          Locale.ROOT,
          "%.0f ns mapping + Parquet (%.0f + %.0f)%n",
          mapping + parquet,
          mapping,
          parquet);
    } finally {
      bench.tearDown();
    }
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static double cpuNanosPerCall(Call call, int recordsPerCall) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Object sink = null;
    long warmUpEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < warmUpEnd) {
      sink = call.run();
    }
    long calls = 0;
    long cpuStart = threads.getCurrentThreadCpuTime();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < end) {
      sink = call.run();
      calls++;
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    if (sink == null) {
      throw new IllegalStateException("no result");
    }
    return cpu / (double) (calls * recordsPerCall);
  }

  /** Ours: JSON bytes to the table's row, every conversion rule applied. */
  @Benchmark
  public RowData bytesToRowOurs() {
    return converter.toRowData(mapper.map(records[next++ & (MESSAGES - 1)]));
  }

  /** Flink's JSON format on the sketch's schema: a tree per message, no conversion after. */
  @Benchmark
  public RowData bytesToRowFlinkJsonFormat() throws IOException {
    return flinkJson.deserialize(records[next++ & (MESSAGES - 1)].value());
  }

  /** Rows to one Parquet file through Iceberg's Flink writer; the time is per row. */
  @Benchmark
  @OperationsPerInvocation(ROWS_PER_FILE)
  public long rowsToParquet(Codec codec) throws IOException {
    FileAppender<RowData> appender =
        Parquet.write(Files.localOutput(file))
            .schema(schema)
            .createWriterFunc(type -> FlinkParquetWriters.buildWriter(flinkRowType, type))
            .set(TableProperties.PARQUET_COMPRESSION, codec.name)
            .overwrite()
            .build();
    try (appender) {
      for (int i = 0; i < ROWS_PER_FILE; i++) {
        appender.add(rows[i & (MESSAGES - 1)]);
      }
    }
    return appender.length();
  }
}
