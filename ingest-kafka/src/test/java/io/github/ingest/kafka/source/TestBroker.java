package io.github.ingest.kafka.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka broker in KRaft mode for the planner's tests: Kafka's own {@code StorageTool} and
 * {@code kafka.Kafka} in a child JVM on free loopback ports, plaintext only; deleted on close.
 */
final class TestBroker implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";

  private final Path dir;
  private final Process process;
  private final int port;

  private TestBroker(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  static TestBroker start() throws Exception {
    Path dir = Files.createTempDirectory("planner-broker-");
    int port = freePort();
    int controllerPort = freePort();
    Properties config = new Properties();
    config.setProperty("process.roles", "broker,controller");
    config.setProperty("node.id", "1");
    config.setProperty("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
    config.setProperty(
        "listeners",
        "PLAINTEXT://"
            + LOOPBACK
            + ":"
            + port
            + ",CONTROLLER://"
            + LOOPBACK
            + ":"
            + controllerPort);
    config.setProperty("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + port);
    config.setProperty("controller.listener.names", "CONTROLLER");
    config.setProperty(
        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.setProperty("log.dirs", dir.resolve("data").toString());
    config.setProperty("auto.create.topics.enable", "false");
    config.setProperty("offsets.topic.replication.factor", "1");
    config.setProperty("offsets.topic.num.partitions", "1");
    config.setProperty("transaction.state.log.replication.factor", "1");
    config.setProperty("transaction.state.log.min.isr", "1");
    config.setProperty("transaction.state.log.num.partitions", "1");
    config.setProperty("group.initial.rebalance.delay.ms", "0");
    Path file = dir.resolve("server.properties");
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      config.store(writer, "KRaft broker for the planner's tests");
    }
    String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    Process format =
        java(dir, "format.log", "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", file);
    if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
      throw new IllegalStateException("kafka storage format failed: " + log(dir, "format.log"));
    }
    TestBroker broker = new TestBroker(dir, java(dir, "broker.log", "kafka.Kafka", file), port);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!broker.answers()) {
      if (!broker.process.isAlive() || System.nanoTime() > deadline) {
        broker.close();
        throw new IllegalStateException("The broker did not start: " + log(dir, "broker.log"));
      }
      Thread.sleep(100);
    }
    return broker;
  }

  String bootstrapServers() {
    return LOOPBACK + ":" + port;
  }

  Properties clientProperties() {
    Properties properties = new Properties();
    properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return properties;
  }

  Admin admin() {
    return Admin.create(clientProperties());
  }

  void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /** A producer; with a transactional id if {@code transactionalId} is not null. */
  KafkaProducer<byte[], byte[]> producer(String transactionalId) {
    Properties properties = clientProperties();
    properties.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    if (transactionalId != null) {
      properties.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private boolean answers() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static Process java(Path dir, String log, String main, Object... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    for (Object arg : args) {
      command.add(arg.toString());
    }
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile())
        .start();
  }

  private static String log(Path dir, String log) {
    try {
      return Files.readString(dir.resolve(log), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
