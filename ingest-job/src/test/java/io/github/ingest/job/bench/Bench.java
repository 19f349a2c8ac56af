package io.github.ingest.job.bench;

import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import io.github.ingest.job.stack.JobRunner;
import io.github.ingest.job.stack.LocalStack;
import io.github.ingest.job.stack.TableReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark harness: starts the local stack and unpacks the release; for each size, produces a
 * frozen range of realistic balance-change messages and measures on it, in alternating rounds, the
 * job end to end (the release's {@code bin/ingest-job run}, embedded MiniCluster, the launcher's
 * JVM defaults), the same with {@code table.distribution-mode=none}, the naive Flink SQL pipeline
 * ({@code NaivePipeline}, in the {@code bench} profile's sources) at Iceberg's defaults and with
 * zstd, and the floor (a plain KafkaConsumer draining the range); then the fixed cost of a table's
 * second batch of one record and of a run with nothing new, the hot path (mapping and Parquet, the
 * microbenchmarks' methods timed in a warm JVM of their own), and the goals. Prints the tables and
 * writes them to {@code target/bench-results.md}.
 *
 * <p>Settings (system properties): {@code bench.messages} (a size or a comma list, default
 * 2,000,000), {@code bench.partitions} (4), {@code bench.rounds} (2), {@code bench.naive} (true),
 * {@code bench.jvm-options} (for the naive pipeline's JVM: Flink's JDK 17 options), {@code
 * bench.job-jvm-options} (the job's JAVA_OPTS, such as a flight recording; {@code {run}} in it
 * becomes the run's name), {@code bench.heap} (the -Xmx of the naive pipeline, 1g), {@code
 * bench.month-messages} (the range spread over a month, 2,000,000; 0 to leave it out), {@code
 * bench.live-runs} and {@code bench.live-records} (the day of live batches, 100 runs of 20,000; 0
 * runs to leave it out), {@code bench.by-partition} (false; true adds the job with {@code
 * batch.routing=partition} to each size), {@code bench.dedup} (true: the job with {@code
 * dedup.key=bln_chg_key} beside it at each size), {@code bench.window-days} and {@code
 * bench.window-records} (deduplication against a table that holds a window of days, 7 days of
 * 1,000,000; 0 days to leave it out).
 */
public final class Bench {

  private static final Pattern TOOK = Pattern.compile("took: +([0-9.]+) s");
  private static final Pattern FILES =
      Pattern.compile(
          "files: +(\\d+) data files(?: in \\d+ partitions \\(at most \\d+ in one\\))?, (\\d+) bytes");

  private static final String OURS = "ours: bin/ingest-job run";
  private static final String OURS_FAN_OUT = "ours, table.distribution-mode=none";
  private static final String OURS_DEDUP = "ours, dedup.key=bln_chg_key";
  private static final String OURS_BY_PARTITION = "ours, batch.routing=partition";
  private static final String NAIVE_DEFAULT = "naive Flink SQL, Iceberg defaults";
  private static final String NAIVE_ZSTD = "naive Flink SQL, zstd";
  private static final String FLOOR = "floor: a KafkaConsumer draining";

  /** The heap of the naive pipeline's JVM; the job runs with its launcher's defaults. */
  private static final String HEAP = "-Xmx" + System.getProperty("bench.heap", "1g");

  /** Linux's USER_HZ, the unit of /proc/PID/stat's CPU times; 100 on every common kernel. */
  private static final int CLOCK_TICKS = Integer.getInteger("bench.clock-ticks", 100);

  /** The microbenchmarks' class, on the class path in the bench profile only. */
  private static final String HOT_PATH = "io.github.ingest.job.bench.HotPathBench";

  /** What its main prints. */
  private static final Pattern HOT_PATH_LINE =
      Pattern.compile("([0-9.]+) ns mapping \\+ Parquet \\([0-9.]+ \\+ [0-9.]+\\)");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    List<Long> sizes = new ArrayList<>();
    for (String size : System.getProperty("bench.messages", "2000000").split(",")) {
      sizes.add(Long.parseLong(size.trim()));
    }
    int partitions = Integer.getInteger("bench.partitions", 4);
    int rounds = Integer.getInteger("bench.rounds", 2);
    List<String> lines = new ArrayList<>();
    int exitCode;
    try (LocalStack stack = LocalStack.start()) {
      Path home = JobRunner.installRelease(stack.newDirectory("release-"));
      exitCode = run(stack, home, sizes, partitions, rounds, lines);
    }
    Path results = Paths.get("target", "bench-results.md");
    Files.write(results, lines, StandardCharsets.UTF_8);
    System.out.println("\nWritten to " + results.toAbsolutePath());
    System.exit(exitCode);
  }

  private static int run(
      LocalStack stack, Path home, List<Long> sizes, int partitions, int rounds, List<String> out)
      throws Exception {
    stack.s3().createBucket("bench");
    print(
        out,
        String.format(
            Locale.ROOT,
            "Machine: %d cores, JDK %s, %s; %d partitions, %d round(s) a size%n",
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"),
            System.getProperty("os.name"),
            partitions,
            rounds));
    // the first batch of a table creates it, and trains the launcher's class-data archive
    stack.kafka().createTopic("bench_one", 1);
    produce(stack, "bench_one", 1, 1);
    Measured first = runJob(stack, home, "bench_one", "one", Collections.emptyMap());
    if (first.exitCode != 0) {
      print(out, "The first batch failed: " + first.output);
      return 1;
    }
    Map<Long, Map<String, Measured>> bySize = new LinkedHashMap<>();
    for (long messages : sizes) {
      Map<String, Measured> best = runSize(stack, home, messages, partitions, rounds, out);
      if (best == null) {
        return 1;
      }
      bySize.put(messages, best);
    }

    month(stack, home, partitions, out);
    live(stack, home, partitions, out);
    window(stack, home, partitions, out, false);
    window(stack, home, partitions, out, true);

    produce(stack, "bench_one", 1, 1);
    Measured one = rerun(home, first);
    Measured nothing = rerun(home, first);
    print(
        out,
        "| fixed cost (a table's second batch, then a run after it) | seconds, process start to"
            + " exit | CPU s, user + sys | exit code |");
    print(out, "|---|---|---|---|");
    print(
        out,
        String.format(
            Locale.ROOT,
            "| a 1-record batch | %.1f | %.1f | %d |",
            one.wallSeconds,
            one.cpuSeconds(),
            one.exitCode));
    print(
        out,
        String.format(
            Locale.ROOT,
            "| a run with nothing new | %.1f | %.1f | %d |%n",
            nothing.wallSeconds,
            nothing.cpuSeconds(),
            nothing.exitCode));
    double hotPathMicros = hotPath(stack, out);
    goals(out, bySize, one, nothing, hotPathMicros);
    return 0;
  }

  /**
   * Produces {@code messages} into a topic of their own and measures every contender on them,
   * {@code rounds} times in rotating order; returns each contender's best round (least wall time),
   * or null if a run failed.
   */
  private static Map<String, Measured> runSize(
      LocalStack stack, Path home, long messages, int partitions, int rounds, List<String> out)
      throws Exception {
    String topic = "bench_" + messages;
    stack.kafka().createTopic(topic, partitions);
    long started = System.nanoTime();
    long bytes = produce(stack, topic, messages, partitions);
    print(
        out,
        String.format(
            Locale.ROOT,
            "Range: %,d messages, %.1f MB of values (produced in %.1f s)%n",
            messages,
            bytes / 1e6,
            seconds(started)));
    print(
        out,
        "| round | run | seconds | records/s | MB/s | CPU user s | CPU sys s | CPU µs/record |"
            + " peak RSS | data files | avg file | routing |");
    print(out, "|---|---|---|---|---|---|---|---|---|---|---|---|");
    List<String> contenders = new ArrayList<>(List.of(OURS, OURS_FAN_OUT, FLOOR));
    if (Boolean.getBoolean("bench.by-partition")) {
      // every batch through the exchange, as the default was before routing per batch
      contenders.add(2, OURS_BY_PARTITION);
    }
    if (Boolean.parseBoolean(System.getProperty("bench.dedup", "true"))) {
      contenders.add(1, OURS_DEDUP);
    }
    if (Boolean.parseBoolean(System.getProperty("bench.naive", "true"))) {
      contenders.addAll(1, List.of(NAIVE_DEFAULT, NAIVE_ZSTD));
    }
    Map<String, Measured> best = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      List<String> order = new ArrayList<>(contenders);
      Collections.rotate(order, -(round - 1));
      for (String contender : order) {
        String name = topic + "_" + round;
        Measured run;
        if (contender.equals(FLOOR)) {
          run = new Measured();
          long cpuBefore = processCpuNanos();
          run.wallSeconds = drain(stack, topic, messages);
          // user and system together: the JVM reports their sum
          run.userSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        } else if (contender.equals(OURS)) {
          run = runJob(stack, home, topic, name, Collections.emptyMap());
        } else if (contender.equals(OURS_DEDUP)) {
          run = caughtUp(runJob(stack, home, topic, "dedup_" + name, DEDUP), messages);
        } else if (contender.equals(OURS_BY_PARTITION)) {
          run =
              runJob(
                  stack, home, topic, "by_partition_" + name, Map.of("batch.routing", "partition"));
        } else if (contender.equals(OURS_FAN_OUT)) {
          run =
              runJob(
                  stack, home, topic, "fan_out_" + name, Map.of("table.distribution-mode", "none"));
        } else {
          boolean zstd = contender.equals(NAIVE_ZSTD);
          run =
              runNaive(
                  stack, topic, "naive_" + name + (zstd ? "_zstd" : ""), zstd ? "zstd" : "default");
        }
        if (run.exitCode != 0) {
          print(out, contender + " failed: " + run.output);
          return null;
        }
        best.merge(contender, run, (a, b) -> a.wallSeconds <= b.wallSeconds ? a : b);
        print(
            out,
            String.format(
                Locale.ROOT,
                "| %d | %s | %.1f | %,.0f | %.1f | %.1f | %s | %.1f | %s | %s | %s | %s |",
                round,
                contender,
                run.wallSeconds,
                messages / run.wallSeconds,
                bytes / 1e6 / run.wallSeconds,
                run.userSeconds,
                contender.equals(FLOOR)
                    ? "(in user)"
                    : String.format(Locale.ROOT, "%.1f", run.systemSeconds),
                run.cpuSeconds() * 1e6 / messages,
                mib(run.peakRssKb),
                run.files == 0 ? "-" : Integer.toString(run.files),
                run.files == 0 ? "-" : mib(run.fileBytes / 1024 / run.files),
                (run.routing == null ? "-" : run.routing)
                    + (run.batches > 1 ? ", " + run.batches + " batches" : "")));
      }
    }
    print(out, "");
    print(out, "| best of " + rounds + " | records/s | CPU µs/record | ours / this, records/s |");
    print(out, "|---|---|---|---|");
    double ours = best.get(OURS).wallSeconds;
    best.forEach(
        (contender, run) ->
            print(
                out,
                String.format(
                    Locale.ROOT,
                    "| %s | %,.0f | %.1f | %.2f |",
                    contender,
                    messages / run.wallSeconds,
                    run.cpuSeconds() * 1e6 / messages,
                    run.wallSeconds / ours)));
    print(
        out,
        String.format(
            Locale.ROOT,
            "| ours, the batch alone (plan to commit, no JVM start) | %,.0f | | |%n",
            messages / best.get(OURS).seconds));
    for (Measured run : best.values()) {
      run.messages = messages;
    }
    return best;
  }

  /**
   * A day of live batches, the job's usual use: {@code bench.live-runs} (100) scheduled runs of
   * {@code bench.live-records} (20,000) new records each, all of one UTC day, each run {@code run
   * --maintain}; beside it the naive pipeline run as often on the same records (started at the
   * offsets the previous run ended at, as a user tracking them would). Prints the CPU per record
   * and mean time of each, the routing the batches got, and the data files of the day at the end
   * and, for ours, after a {@code maintain}.
   */
  private static void live(LocalStack stack, Path home, int partitions, List<String> out)
      throws Exception {
    int runs = Integer.getInteger("bench.live-runs", 100);
    int records = Integer.getInteger("bench.live-records", 20_000);
    if (runs <= 0) {
      return;
    }
    String topic = "bench_live";
    stack.kafka().createTopic(topic, partitions);
    Path workDir = stack.newDirectory("bench-live-");
    Map<String, String> settings = stack.jobSettings(topic, "lake.live", "bench", workDir);
    settings.put("catalog.warehouse", "s3://bench/live");
    settings.put("kafka.group-id", "live");
    boolean naive = Boolean.parseBoolean(System.getProperty("bench.naive", "true"));
    long[] ends = new long[partitions];
    Random random = new Random(20261204);
    double[] ours = new double[3];
    double[] theirs = new double[3];
    Map<String, Integer> routings = new java.util.TreeMap<>();
    Map<String, String> naiveSettings = null;
    for (int run = 0; run < runs; run++) {
      StringBuilder from = new StringBuilder();
      for (int p = 0; p < partitions; p++) {
        from.append(p == 0 ? "" : ";").append(p).append(':').append(ends[p]);
      }
      try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
        for (int i = 0; i < records; i++) {
          int partition = i % partitions;
          producer.send(
              new ProducerRecord<>(
                  topic, partition, null, message(random, (long) run * records + i, true)));
          ends[partition]++;
        }
        producer.flush();
      }
      Measured batch = measure(home, workDir, settings, "run", "--maintain");
      if (batch.exitCode != 0) {
        print(out, "live run " + (run + 1) + " failed: " + batch.output);
        return;
      }
      add(ours, batch);
      routings.merge(batch.routing == null ? "(none printed)" : batch.routing, 1, Integer::sum);
      if (naive) {
        Measured other = runNaive(stack, topic, "naive_live", "zstd", from.toString());
        if (other.exitCode != 0) {
          print(out, "naive live run " + (run + 1) + " failed: " + other.output);
          return;
        }
        add(theirs, other);
        naiveSettings = other.settings;
      }
    }
    int filesAtEnd = dataFiles(settings, "lake.live");
    Measured maintained = measure(home, workDir, settings, "maintain");
    int filesAfterMaintain = dataFiles(settings, "lake.live");
    long total = (long) runs * records;
    print(
        out,
        String.format(
            Locale.ROOT,
            "A day of live batches: %d runs of %,d records, all of one day, 4 partitions%n",
            runs,
            records));
    print(
        out,
        "| live batches | CPU µs/record, all runs | mean seconds a run | data files of the day at"
            + " the end | after a maintain |");
    print(out, "|---|---|---|---|---|");
    print(
        out,
        String.format(
            Locale.ROOT,
            "| ours: run --maintain (routing: %s) | %.1f | %.2f | %d | %s |",
            routings.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + "x")
                .collect(java.util.stream.Collectors.joining(", ")),
            ours[1] * 1e6 / total,
            ours[0] / runs,
            filesAtEnd,
            maintained.exitCode == 0
                ? Integer.toString(filesAfterMaintain)
                : "maintain failed: " + maintained.output));
    if (naiveSettings != null) {
      print(
          out,
          String.format(
              Locale.ROOT,
              "| naive Flink SQL, zstd | %.1f | %.2f | %d | - |",
              theirs[1] * 1e6 / total,
              theirs[0] / runs,
              dataFiles(naiveSettings, "lake.naive_live")));
    }
    print(out, "");
    liveFiles = filesAtEnd;
  }

  /**
   * The job at its defaults and with {@code table.distribution-mode=none} on {@code
   * bench.month-messages} (2,000,000) messages spread over 28 days: the peak memory of a batch that
   * writes many partitions at once.
   */
  private static void month(LocalStack stack, Path home, int partitions, List<String> out)
      throws Exception {
    long messages = Long.getLong("bench.month-messages", 2_000_000);
    if (messages <= 0) {
      return;
    }
    String topic = "bench_month";
    stack.kafka().createTopic(topic, partitions);
    Random random = new Random(20261101);
    try (KafkaProducer<byte[], byte[]> producer = stack.kafka().producer()) {
      for (long i = 0; i < messages; i++) {
        producer.send(
            new ProducerRecord<>(
                topic, (int) (i % partitions), null, message(random, i, false, 28)));
      }
      producer.flush();
    }
    print(
        out,
        String.format(
            Locale.ROOT,
            "Spread over a month: %,d messages over 28 days, 4 partitions%n",
            messages));
    print(out, "| run | seconds | CPU µs/record | peak RSS | data files | routing |");
    print(out, "|---|---|---|---|---|---|");
    for (String contender : List.of(OURS, OURS_FAN_OUT)) {
      Measured run =
          runJob(
              stack,
              home,
              topic,
              contender.equals(OURS) ? "month" : "month_none",
              contender.equals(OURS)
                  ? Collections.emptyMap()
                  : Map.of("table.distribution-mode", "none"));
      if (run.exitCode != 0) {
        print(out, contender + " failed: " + run.output);
        return;
      }
      print(
          out,
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %s | %d | %s |",
              contender,
              run.wallSeconds,
              run.cpuSeconds() * 1e6 / messages,
              mib(run.peakRssKb),
              run.files,
              run.routing));
      if (contender.equals(OURS)) {
        monthPeakRssKb = run.peakRssKb;
      }
    }
    print(out, "");
  }

  /**
   * Deduplication against a table that holds a window of days: {@code bench.window-days} (7) daily
   * batches of {@code bench.window-records} (1,000,000) records each, then a batch of as many new
   * records of the next day without and with {@code dedup.key=bln_chg_key} (the table rolled back
   * in between, so both read the same range onto the same table), then a replay of the first day,
   * every record a duplicate, skipped. Random keys (UUIDs) fall in the bounds of every file of the
   * window, so each one's key column is read; keys that grow with time ({@code orderedIds}) fall in
   * the bounds of their own day's files only.
   */
  private static void window(
      LocalStack stack, Path home, int partitions, List<String> out, boolean orderedIds)
      throws Exception {
    int days = Integer.getInteger("bench.window-days", 7);
    long perDay = Long.getLong("bench.window-records", 1_000_000);
    if (days <= 0 || perDay <= 0) {
      return;
    }
    String name = orderedIds ? "window_ordered" : "window";
    String topic = "bench_" + name;
    stack.kafka().createTopic(topic, partitions);
    Path workDir = stack.newDirectory("bench-" + name + "-");
    Map<String, String> settings = stack.jobSettings(topic, "lake." + name, "bench", workDir);
    settings.put("catalog.warehouse", "s3://bench/" + name);
    settings.put("kafka.group-id", name);
    long started = System.nanoTime();
    for (int day = 1; day <= days; day++) {
      produceDay(stack, topic, partitions, day, perDay, orderedIds);
      Measured batch = measure(home, workDir, settings);
      if (batch.exitCode != 0) {
        print(out, "window day " + day + " failed: " + batch.output);
        return;
      }
    }
    print(
        out,
        String.format(
            Locale.ROOT,
            "Deduplication with a window of existing data: a table of %d days of %,d records (one"
                + " batch a day, written in %.0f s), then a batch of %,d new records of the next"
                + " day, then a replay of the first day; window 7 days, %s%n",
            days,
            perDay,
            seconds(started),
            perDay,
            orderedIds
                ? "keys that grow with time (63d859ff7d661-10896152, as the topic's ids)"
                : "random keys (UUIDs)"));
    print(
        out,
        "| batch | seconds | CPU µs/record | peak RSS | records | deduplication (from the log)"
            + " |");
    print(out, "|---|---|---|---|---|---|");
    produceDay(stack, topic, partitions, days + 1, perDay, orderedIds);
    Measured off = measure(home, workDir, settings);
    windowLine(out, "next day, dedup off", off, perDay);
    Table table = TableReader.load(settings);
    table.manageSnapshots().rollbackTo(table.currentSnapshot().parentId()).commit();
    settings.put("dedup.key", "bln_chg_key");
    settings.put("dedup.window", "7");
    Measured on = measure(home, workDir, settings);
    windowLine(out, "next day, dedup on (the same range after a rollback)", on, perDay);
    produceDay(stack, topic, partitions, 1, perDay, orderedIds);
    settings.put("dedup.duplicates", "skip");
    Measured replay = measure(home, workDir, settings);
    windowLine(out, "replay of the first day, dedup on, duplicates skipped", replay, perDay);
    print(out, "");
  }

  private static final Pattern DEDUP_LOG = Pattern.compile("Deduplication by [^:]+: ([^\\n]+)");

  private static void windowLine(List<String> out, String name, Measured run, long records) {
    if (run.exitCode != 0) {
      print(out, name + " failed: " + run.output);
      return;
    }
    Matcher counts = RECORDS.matcher(run.stdout);
    List<String> logs = new ArrayList<>();
    Matcher log = DEDUP_LOG.matcher(run.output);
    while (log.find()) {
      logs.add(log.group(1).trim());
    }
    print(
        out,
        String.format(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %s | %s | %s |",
            name,
            run.wallSeconds,
            run.cpuSeconds() * 1e6 / records,
            mib(run.peakRssKb),
            counts.find() ? counts.group(1) : "-",
            logs.isEmpty() ? "-" : String.join("; ", logs)));
  }

  private static final Pattern RECORDS = Pattern.compile("records: ([^\\n]+)");

  /**
   * Produces {@code count} messages of one UTC day of November 2026, the same bytes for the same
   * day; returns when they are written.
   */
  private static void produceDay(
      LocalStack stack, String topic, int partitions, int day, long count, boolean orderedIds) {
    Random random = new Random(20261200 + day);
    try (KafkaProducer<byte[], byte[]> producer = fastProducer(stack)) {
      for (long i = 0; i < count; i++) {
        producer.send(
            new ProducerRecord<>(
                topic, (int) (i % partitions), null, message(random, i, true, 1, day, orderedIds)));
      }
      producer.flush();
    }
  }

  /** Runs measured so far, to tell the runs of one work directory apart. */
  private static final java.util.concurrent.atomic.AtomicInteger RUNS =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The peak memory of the month's batch at the defaults: a goal reads it. */
  private static long monthPeakRssKb = -1;

  /** What the live scenario left in the table's day: the goal reads it. */
  private static int liveFiles = -1;

  private static final Pattern ROUTING = Pattern.compile("routing: (by [a-z]+)");

  /** Adds a run's wall seconds and CPU seconds to {@code totals}. */
  private static void add(double[] totals, Measured run) {
    totals[0] += run.wallSeconds;
    totals[1] += run.cpuSeconds();
  }

  /** The data files the current snapshot of table {@code name} holds. */
  private static int dataFiles(Map<String, String> settings, String name) throws IOException {
    try (CloseableIterable<FileScanTask> tasks =
        TableReader.load(settings, name).newScan().planFiles()) {
      int files = 0;
      for (FileScanTask ignored : tasks) {
        files++;
      }
      return files;
    }
  }

  /**
   * Mapping plus Parquet writing, in µs of CPU per record, as the microbenchmarks measure them
   * (their own JVM, warmed up); NaN where their class is not on the class path.
   */
  private static double hotPath(LocalStack stack, List<String> out) throws Exception {
    try {
      Class.forName(HOT_PATH);
    } catch (ClassNotFoundException e) {
      print(out, "(hot path not measured: run in the bench profile)");
      return Double.NaN;
    }
    JobRunner.Result result =
        JobRunner.start(stack.newDirectory("hot-path-"), benchJvm(HOT_PATH)).await();
    Matcher line = HOT_PATH_LINE.matcher(result.stdout);
    if (result.exitCode != 0 || !line.find()) {
      print(out, "(hot path not measured: " + result + ")");
      return Double.NaN;
    }
    print(out, "Hot path, CPU per record in a warm JVM: " + line.group() + "\n");
    return Double.parseDouble(line.group(1)) / 1000;
  }

  /** The goals table: each goal, what this run measured, met or missed. */
  private static void goals(
      List<String> out,
      Map<Long, Map<String, Measured>> bySize,
      Measured one,
      Measured nothing,
      double hotPathMicros) {
    print(out, "| goal | measured | |");
    print(out, "|---|---|---|");
    goal(
        out,
        "records/s, ours / naive at its defaults ≥ 2.5",
        bySize,
        2.5,
        true,
        NAIVE_DEFAULT,
        (ours, other) -> other.wallSeconds / ours.wallSeconds);
    goal(
        out,
        "records/s, ours / naive with the same codec ≥ 2.0",
        bySize,
        2.0,
        true,
        NAIVE_ZSTD,
        (ours, other) -> other.wallSeconds / ours.wallSeconds);
    goal(
        out,
        "job process CPU per record, ours / naive same codec ≤ 0.5",
        bySize,
        0.5,
        false,
        NAIVE_ZSTD,
        (ours, other) -> ours.cpuSeconds() / other.cpuSeconds());
    goal(
        out,
        "job CPU per record, ours at its defaults / table.distribution-mode=none ≤ 1.05",
        bySize,
        1.05,
        false,
        OURS_FAN_OUT,
        (ours, other) -> ours.cpuSeconds() / other.cpuSeconds());
    goal(
        out,
        "overhead: job CPU per record / hot path (mapping + Parquet) ≤ 2.0",
        bySize,
        2.0,
        false,
        OURS,
        (ours, other) -> ours.cpuSeconds() * 1e6 / ours.messages / hotPathMicros);
    double fixed = one.wallSeconds / nothing.wallSeconds;
    print(
        out,
        String.format(
            Locale.ROOT,
            "| a 1-record batch / a run with nothing new ≤ 2.0 | %.2f (%.1f s / %.1f s) | %s |",
            fixed,
            one.wallSeconds,
            nothing.wallSeconds,
            fixed <= 2.0 ? "met" : "missed"));
    if (liveFiles >= 0) {
      print(
          out,
          String.format(
              Locale.ROOT,
              "| a day of live batches: data files of the day after run --maintain ≤ 10 | %d | %s |",
              liveFiles,
              liveFiles <= 10 ? "met" : "missed"));
    }
    if (monthPeakRssKb >= 0) {
      print(
          out,
          String.format(
              Locale.ROOT,
              "| peak RSS ≤ 1 GiB on data spread over a month | %s | %s |",
              mib(monthPeakRssKb),
              monthPeakRssKb <= 1024 * 1024 ? "met" : "missed"));
    }
    List<Long> sizes = new ArrayList<>(bySize.keySet());
    if (sizes.size() < 2) {
      print(out, "| peak RSS, and throughput, at 10M against 1M | needs two sizes | |");
      return;
    }
    Measured smallest = bySize.get(sizes.get(0)).get(OURS);
    Measured largest = bySize.get(sizes.get(sizes.size() - 1)).get(OURS);
    double rssRatio = largest.peakRssKb / (double) smallest.peakRssKb;
    print(
        out,
        String.format(
            Locale.ROOT,
            "| peak RSS at %s ≤ 1 GiB, within 10 %% of that at %s | %s and %s (%+.0f %%) | %s |",
            count(largest.messages),
            count(smallest.messages),
            mib(largest.peakRssKb),
            mib(smallest.peakRssKb),
            (rssRatio - 1) * 100,
            largest.peakRssKb <= 1024 * 1024 && Math.abs(rssRatio - 1) <= 0.1 ? "met" : "missed"));
    double scaling =
        (largest.messages / largest.wallSeconds) / (smallest.messages / smallest.wallSeconds);
    print(
        out,
        String.format(
            Locale.ROOT,
            "| throughput at %s / at %s ≥ 0.9 | %.2f | %s |",
            count(largest.messages),
            count(smallest.messages),
            scaling,
            scaling >= 0.9 ? "met" : "missed"));
  }

  /** One goal's row: the ratio at every size, met if it holds at every size. */
  private static void goal(
      List<String> out,
      String goal,
      Map<Long, Map<String, Measured>> bySize,
      double bound,
      boolean atLeast,
      String other,
      java.util.function.BiFunction<Measured, Measured, Double> ratio) {
    List<String> measured = new ArrayList<>();
    boolean met = true;
    for (Map.Entry<Long, Map<String, Measured>> size : bySize.entrySet()) {
      Measured against = size.getValue().get(other);
      if (against == null) {
        continue;
      }
      double value = ratio.apply(size.getValue().get(OURS), against);
      if (Double.isNaN(value)) {
        continue;
      }
      measured.add(String.format(Locale.ROOT, "%.2f (%s)", value, count(size.getKey())));
      met &= atLeast ? value >= bound : value <= bound;
    }
    print(
        out,
        "| "
            + goal
            + " | "
            + (measured.isEmpty() ? "not measured" : String.join(", ", measured))
            + " | "
            + (measured.isEmpty() ? "" : met ? "met" : "missed")
            + " |");
  }

  private static String count(long messages) {
    return messages % 1_000_000 == 0
        ? messages / 1_000_000 + "M"
        : String.format(Locale.ROOT, "%,d", messages);
  }

  /** Produces {@code count} realistic messages round robin; returns the bytes of their values. */
  private static long produce(LocalStack stack, String topic, long count, int partitions) {
    Random random = new Random(20261124);
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> producer = fastProducer(stack)) {
      for (long i = 0; i < count; i++) {
        byte[] value = message(random, i);
        bytes += value.length;
        producer.send(new ProducerRecord<>(topic, (int) (i % partitions), null, value));
      }
      producer.flush();
    }
    return bytes;
  }

  /** A producer that batches as a bulk load does. */
  private static KafkaProducer<byte[], byte[]> fastProducer(LocalStack stack) {
    Properties properties = new Properties();
    properties.setProperty(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    properties.setProperty(ProducerConfig.ACKS_CONFIG, "1");
    properties.setProperty(ProducerConfig.LINGER_MS_CONFIG, "20");
    properties.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    properties.setProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20));
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * A balance change of one local day, 2026-11-23, with offsets that spread it over three days in
   * UTC: 17-digit scales, UUID-like ids, some nulls.
   */
  static byte[] message(Random random, long index) {
    return message(random, index, false);
  }

  /** As {@link #message(Random, long)}; {@code utc} keeps every timestamp in one UTC day. */
  static byte[] message(Random random, long index, boolean utc) {
    return message(random, index, utc, 1);
  }

  /**
   * As {@link #message(Random, long, boolean)}, spread round robin over {@code days} local days
   * from 2026-11-01 (one day: 2026-11-23).
   */
  static byte[] message(Random random, long index, boolean utc, int days) {
    return message(random, index, utc, days, days == 1 ? 23 : 1);
  }

  /**
   * As {@link #message(Random, long, boolean, int)}, from day {@code firstDay} of November 2026.
   */
  static byte[] message(Random random, long index, boolean utc, int days, int firstDay) {
    return message(random, index, utc, days, firstDay, false);
  }

  /**
   * As {@link #message(Random, long, boolean, int, int)}; {@code orderedIds} gives ids that grow
   * with the event's time, as PHP's {@code uniqid} makes them ({@code 63d859ff7d661-10896152}: the
   * second and microsecond in hex, then a number), instead of random UUIDs.
   */
  static byte[] message(
      Random random, long index, boolean utc, int days, int firstDay, boolean orderedIds) {
    String[] offsets = utc ? new String[] {"Z"} : new String[] {"Z", "+01:00", "-05:00", "+05:30"};
    String[] currencies = {"EUR", "USD", "GBP", "SEK"};
    StringBuilder json = new StringBuilder(320);
    json.append("{\"playerId\":\"").append(10_000_000 + random.nextInt(1_000_000)).append('"');
    json.append(",\"currency\":\"").append(currencies[(int) (index % 4)]).append('"');
    json.append(",\"portalId\":\"").append(1000 + random.nextInt(2000)).append('"');
    json.append(",\"realBalance\":").append(amount(random, 17));
    json.append(",\"bonusBalance\":").append(index % 5 == 0 ? "null" : amount(random, 2));
    int seconds = random.nextInt(86_400);
    int day = firstDay + (int) (index % days);
    json.append(
        String.format(
            Locale.ROOT,
            ",\"timestamp\":\"2026-11-%02dT%02d:%02d:%02d.%03d%s\"",
            day,
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60,
            random.nextInt(1000),
            offsets[(int) (index % offsets.length)]));
    if (orderedIds) {
      long second = java.time.LocalDate.of(2026, 11, day).toEpochDay() * 86_400 + seconds;
      json.append(
          String.format(
              Locale.ROOT,
              ",\"id\":\"%08x%05x-%d\"",
              second,
              random.nextInt(1_000_000),
              10_000_000 + index));
    } else {
      json.append(
          String.format(
              Locale.ROOT,
              ",\"id\":\"%08x-%04x-%04x-%04x-%012x\"",
              random.nextInt(),
              random.nextInt(0x10000),
              random.nextInt(0x10000),
              random.nextInt(0x10000),
              random.nextLong() & 0xffffffffffffL));
    }
    json.append(",\"realBalanceEUR\":\"").append(amount(random, 17)).append('"');
    json.append(",\"bonusBalanceEUR\":").append(amount(random, 9)).append('}');
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String amount(Random random, int scale) {
    StringBuilder text = new StringBuilder();
    if (random.nextBoolean()) {
      text.append('-');
    }
    text.append(random.nextInt(1_000_000_000)).append('.');
    for (int i = 0; i < scale; i++) {
      text.append((char) ('0' + random.nextInt(10)));
    }
    return text.toString();
  }

  /** Seconds a plain consumer takes to read {@code count} records of {@code topic}. */
  private static double drain(LocalStack stack, String topic, long count) {
    Properties properties = new Properties();
    properties.setProperty(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    properties.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long started = System.nanoTime();
    long read = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (read < count) {
        read += consumer.poll(Duration.ofMillis(500)).count();
      }
    }
    return seconds(started);
  }

  private static Measured runJob(
      LocalStack stack, Path home, String topic, String name, Map<String, String> extra)
      throws IOException, InterruptedException {
    Path workDir = stack.newDirectory("bench-" + name + "-");
    Map<String, String> settings = stack.jobSettings(topic, "lake." + name, "bench", workDir);
    settings.put("catalog.warehouse", "s3://bench/" + name);
    settings.put("kafka.group-id", name);
    settings.putAll(extra);
    return measure(home, workDir, settings);
  }

  /** A business key, as a ledger sets it. */
  private static final Map<String, String> DEDUP = Map.of("dedup.key", "bln_chg_key");

  private static final Pattern READ = Pattern.compile("records: (\\d+) read");

  /**
   * {@code first} and the runs after it until {@code messages} records were read, as one: a
   * deduplicated backlog larger than {@code dedup.max-batch-records} is caught up in several
   * batches, as a scheduler's runs would. Wall and CPU seconds add up; the peak is the highest.
   */
  private static Measured caughtUp(Measured first, long messages)
      throws IOException, InterruptedException {
    Measured total = first;
    long read = read(first);
    for (int run = 2; total.exitCode == 0 && read < messages && run <= 10; run++) {
      Measured next = rerun(first.home, first);
      total.wallSeconds += next.wallSeconds;
      total.seconds += next.seconds;
      total.userSeconds += next.userSeconds;
      total.systemSeconds += next.systemSeconds;
      total.peakRssKb = Math.max(total.peakRssKb, next.peakRssKb);
      total.files += next.files;
      total.fileBytes += next.fileBytes;
      total.exitCode = next.exitCode;
      total.output = next.output;
      total.batches++;
      read += read(next);
    }
    return total;
  }

  private static long read(Measured run) {
    Matcher read = READ.matcher(run.stdout == null ? "" : run.stdout);
    return read.find() ? Long.parseLong(read.group(1)) : 0;
  }

  private static Measured rerun(Path home, Measured previous)
      throws IOException, InterruptedException {
    return measure(home, previous.workDir, previous.settings);
  }

  /**
   * Runs the release's launcher as a user does, with {@code bench.job-jvm-options} as JAVA_OPTS;
   * {@code args} (default {@code run}) before the settings.
   */
  private static Measured measure(
      Path home, Path workDir, Map<String, String> settings, String... args)
      throws InterruptedException {
    long started = System.nanoTime();
    // {run}: the run's own name, e.g. for a flight recording of each run
    String options =
        System.getProperty("bench.job-jvm-options", "")
            .trim()
            .replace("{run}", workDir.getFileName().toString() + "-" + RUNS.incrementAndGet());
    JobRunner.Running running =
        JobRunner.startLauncher(
            home,
            workDir,
            settings,
            options.isEmpty() ? Map.of() : Map.of("JAVA_OPTS", options),
            args.length == 0 ? new String[] {"run"} : args);
    Measured measured = timed(started, running);
    measured.home = home;
    measured.workDir = workDir;
    measured.settings = settings;
    return measured;
  }

  /**
   * A JVM of its own for {@code mainClass} of the bench profile's class path, with the naive
   * pipeline's heap and {@code bench.jvm-options}.
   */
  private static List<String> benchJvm(String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    for (String option : System.getProperty("bench.jvm-options", "").split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    return command;
  }

  /** Runs {@link NaivePipeline} in a JVM of its own, on the job's settings for {@code table}. */
  private static Measured runNaive(LocalStack stack, String topic, String name, String codec)
      throws IOException, InterruptedException {
    return runNaive(stack, topic, name, codec, "");
  }

  /** As above, from {@code offsets} ({@code partition:offset;...}), or the earliest if empty. */
  private static Measured runNaive(
      LocalStack stack, String topic, String name, String codec, String offsets)
      throws IOException, InterruptedException {
    Path workDir = stack.newDirectory("bench-" + name + "-");
    Map<String, String> settings = stack.jobSettings(topic, "lake." + name, "bench", workDir);
    List<String> command = benchJvm("io.github.ingest.job.bench.NaivePipeline");
    command.add("bootstrap=" + settings.get("kafka.bootstrap-servers"));
    command.add("topic=" + topic);
    command.add("table=lake." + name);
    command.add("codec=" + codec);
    command.add("offsets=" + offsets);
    command.add("catalog.catalog-impl=" + ReleasingJdbcCatalog.class.getName());
    command.add("catalog.io-impl=org.apache.iceberg.aws.s3.S3FileIO");
    command.add("catalog.client.region=us-east-1");
    command.add("catalog.http-client.type=urlconnection");
    command.add(
        "catalog.s3.client-factory-impl=org.apache.iceberg.aws.s3.DefaultS3FileIOAwsClientFactory");
    command.add("catalog.warehouse=s3://bench/" + name);
    settings.forEach(
        (key, value) -> {
          if (key.startsWith("catalog.") && !key.equals("catalog.warehouse")) {
            command.add(key + "=" + value);
          }
        });
    long started = System.nanoTime();
    Measured measured = timed(started, JobRunner.start(workDir, command));
    measured.workDir = workDir;
    measured.settings = settings;
    settings.put("catalog.warehouse", "s3://bench/" + name);
    settings.put("catalog.name", "ice");
    return measured;
  }

  /** The run of {@code running}, started at {@code startedNanos}, sampled until it ends. */
  private static Measured timed(long startedNanos, JobRunner.Running running)
      throws InterruptedException {
    Sampled sampled = sampleWhileAlive(running.pid(), running::isAlive);
    JobRunner.Result result = running.await();
    return measured(startedNanos, sampled, result.exitCode, result.stdout, result.toString());
  }

  /**
   * Samples the process every 20 ms while it lives: its peak resident set (VmHWM), and its CPU
   * time, user and system, as the kernel accounts it for the process (all its threads). The last
   * sample misses at most the last 20 ms of the process's life.
   */
  private static Sampled sampleWhileAlive(long pid, BooleanSupplier alive)
      throws InterruptedException {
    Sampled sampled = new Sampled();
    while (alive.getAsBoolean()) {
      sampled.peakRssKb = Math.max(sampled.peakRssKb, peakRssKb(pid));
      long[] cpu = cpuTicks(pid);
      if (cpu != null) {
        sampled.userTicks = cpu[0];
        sampled.systemTicks = cpu[1];
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return sampled;
  }

  /** utime and stime of /proc/PID/stat, in clock ticks; null if unknown. */
  private static long[] cpuTicks(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
      // the fields after the command name, which is in parentheses and may hold spaces
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** What sampling a process found. */
  private static final class Sampled {
    long peakRssKb;
    long userTicks;
    long systemTicks;
  }

  private static Measured measured(
      long startedNanos, Sampled sampled, int exitCode, String stdout, String output) {
    Measured measured = new Measured();
    measured.exitCode = exitCode;
    measured.wallSeconds = seconds(startedNanos);
    measured.peakRssKb = sampled.peakRssKb;
    measured.userSeconds = sampled.userTicks / (double) CLOCK_TICKS;
    measured.systemSeconds = sampled.systemTicks / (double) CLOCK_TICKS;
    measured.output = output;
    measured.stdout = stdout;
    Matcher routing = ROUTING.matcher(stdout);
    measured.routing = routing.find() ? routing.group(1) : null;
    Matcher took = TOOK.matcher(stdout);
    measured.seconds = took.find() ? Double.parseDouble(took.group(1)) : measured.wallSeconds;
    Matcher files = FILES.matcher(stdout);
    if (files.find()) {
      measured.files = Integer.parseInt(files.group(1));
      measured.fileBytes = Long.parseLong(files.group(2));
    }
    return measured;
  }

  /** This JVM's CPU time so far, user and system. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The process's peak resident set so far (VmHWM), in KiB; 0 if unknown. */
  private static long peakRssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not Linux
    }
    return 0;
  }

  private static String mib(long kib) {
    return kib == 0 ? "-" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static void print(List<String> out, String line) {
    System.out.println(line);
    out.add(line);
  }

  private static final class Measured {
    long messages;
    Path workDir;
    Map<String, String> settings;
    int exitCode;
    double wallSeconds;
    double seconds;
    long peakRssKb;
    double userSeconds;
    double systemSeconds;
    int files;
    long fileBytes;
    String output;
    String stdout;
    String routing;
    Path home;
    int batches = 1;

    double cpuSeconds() {
      return userSeconds + systemSeconds;
    }
  }
}
