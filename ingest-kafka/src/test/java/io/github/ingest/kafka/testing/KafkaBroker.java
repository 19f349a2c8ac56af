package io.github.ingest.kafka.testing;

import io.github.ingest.core.testing.ChildProcess;
import io.github.ingest.core.testing.Ports;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An Apache Kafka broker in KRaft mode (broker and controller in one process), started from the
 * Maven artifact with its own entry points on free loopback ports.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final List<String> JVM = List.of("-Xmx512m", "-XX:+UseSerialGC");

  /** The user the SASL/PLAIN listener knows, and its password. */
  public static final String SASL_USER = "ingest";

  public static final String SASL_PASSWORD = "s3cr3t-Pa55word";

  /** The password of the TLS key and trust stores the tests make. */
  public static final String TLS_PASSWORD = "tls-Pa55word";

  private final Path dir;
  private ChildProcess process;
  private final int port;
  private final int saslPort;
  private final int tlsPort;

  private KafkaBroker(Path dir, ChildProcess process, int port, int saslPort, int tlsPort) {
    this.tlsPort = tlsPort;
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.saslPort = saslPort;
  }

  public static KafkaBroker start(Path dir) throws IOException {
    Files.createDirectories(dir);
    int port = Ports.free();
    int saslPort = Ports.free();
    int tlsPort = Ports.free();
    int controllerPort = Ports.free();
    Path tls = Tls.make(dir.resolve("tls"), TLS_PASSWORD);
    Properties config = new Properties();
    config.setProperty("process.roles", "broker,controller");
    config.setProperty("node.id", "1");
    config.setProperty("controller.quorum.voters", "1@" + Ports.LOOPBACK + ":" + controllerPort);
    String plain = "PLAINTEXT://" + Ports.LOOPBACK + ":" + port;
    String sasl = "SASL_PLAINTEXT://" + Ports.LOOPBACK + ":" + saslPort;
    String ssl = "SSL://" + Ports.LOOPBACK + ":" + tlsPort;
    config.setProperty(
        "listeners",
        plain + "," + sasl + "," + ssl + ",CONTROLLER://" + Ports.LOOPBACK + ":" + controllerPort);
    config.setProperty("advertised.listeners", plain + "," + sasl + "," + ssl);
    config.setProperty("controller.listener.names", "CONTROLLER");
    config.setProperty("inter.broker.listener.name", "PLAINTEXT");
    config.setProperty(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
    // a third listener that speaks TLS, with a certificate the tests made for 127.0.0.1
    config.setProperty(
        "listener.name.ssl.ssl.keystore.location", tls.resolve(Tls.KEYSTORE).toString());
    config.setProperty("listener.name.ssl.ssl.keystore.type", "PKCS12");
    config.setProperty("listener.name.ssl.ssl.keystore.password", TLS_PASSWORD);
    config.setProperty("listener.name.ssl.ssl.key.password", TLS_PASSWORD);
    // a second listener that wants SASL/PLAIN, knowing one user
    config.setProperty("sasl.enabled.mechanisms", "PLAIN");
    config.setProperty(
        "listener.name.sasl_plaintext.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_"
            + SASL_USER
            + "=\""
            + SASL_PASSWORD
            + "\";");
    config.setProperty("log.dirs", dir.resolve("data").toString());
    config.setProperty("num.partitions", "1");
    config.setProperty("auto.create.topics.enable", "false");
    config.setProperty("offsets.topic.replication.factor", "1");
    config.setProperty("offsets.topic.num.partitions", "1");
    config.setProperty("transaction.state.log.replication.factor", "1");
    config.setProperty("transaction.state.log.min.isr", "1");
    config.setProperty("transaction.state.log.num.partitions", "1");
    config.setProperty("group.initial.rebalance.delay.ms", "0");
    Path file = dir.resolve("server.properties");
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      config.store(writer, "KRaft broker for tests");
    }
    List<String> jvm = JVM;
    try (ChildProcess format =
        ChildProcess.start(
            "kafka storage format",
            dir.resolve("format.log"),
            jvm,
            "kafka.tools.StorageTool",
            "format",
            "-t",
            UUID.randomUUID().toString().replace("-", "").substring(0, 22),
            "-c",
            file.toString())) {
      format.awaitSuccess(Duration.ofMinutes(2));
    }
    ChildProcess broker =
        ChildProcess.start(
            "kafka broker", dir.resolve("broker.log"), jvm, "kafka.Kafka", file.toString());
    KafkaBroker kafka = new KafkaBroker(dir, broker, port, saslPort, tlsPort);
    broker.awaitReady(kafka::answers, Duration.ofMinutes(2));
    return kafka;
  }

  /** Stops the broker as a crash would; {@link #restart} brings it back with its data. */
  public void stop() {
    process.close();
  }

  /** Starts the stopped broker again, on the same ports and with the same data. */
  public void restart() {
    process =
        ChildProcess.start(
            "kafka broker",
            dir.resolve("broker-restarted.log"),
            JVM,
            "kafka.Kafka",
            dir.resolve("server.properties").toString());
    process.awaitReady(this::answers, Duration.ofMinutes(2));
  }

  /** {@code 127.0.0.1:port}. */
  public String bootstrapServers() {
    return Ports.LOOPBACK + ":" + port;
  }

  /** {@code 127.0.0.1:port} of the listener that speaks TLS. */
  public String tlsBootstrapServers() {
    return Ports.LOOPBACK + ":" + tlsPort;
  }

  /** A trust store that trusts the TLS listener's certificate. */
  public Path truststore() {
    return dir.resolve("tls").resolve(Tls.TRUSTSTORE);
  }

  /** A trust store that trusts another certificate only. */
  public Path foreignTruststore() {
    return dir.resolve("tls").resolve(Tls.FOREIGN_TRUSTSTORE);
  }

  /** {@code 127.0.0.1:port} of the listener that wants SASL/PLAIN. */
  public String saslBootstrapServers() {
    return Ports.LOOPBACK + ":" + saslPort;
  }

  public Admin admin() {
    Properties properties = new Properties();
    properties.setProperty("bootstrap.servers", bootstrapServers());
    return Admin.create(properties);
  }

  /** The cluster's id, which names it in source keys. */
  public String clusterId() {
    try (Admin admin = admin()) {
      return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot describe the Kafka cluster", e);
    }
  }

  public void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin
          .createTopics(Collections.singleton(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create topic " + topic, e);
    }
  }

  /**
   * A producer that checks its sends: closing it fails if any send failed, so a test never takes a
   * record it did not produce for one the job lost.
   */
  public KafkaProducer<byte[], byte[]> producer() {
    Properties properties = new Properties();
    properties.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    properties.setProperty(ProducerConfig.ACKS_CONFIG, "all");
    properties.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new CheckedProducer(properties);
  }

  /** A producer whose close fails if a send it made failed. */
  private static final class CheckedProducer extends KafkaProducer<byte[], byte[]> {

    private final AtomicReference<Exception> failed = new AtomicReference<>();
    private final AtomicLong sent = new AtomicLong();

    CheckedProducer(Properties properties) {
      super(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
      sent.incrementAndGet();
      return super.send(
          record,
          (metadata, e) -> {
            if (e != null) {
              failed.compareAndSet(null, e);
            }
            if (callback != null) {
              callback.onCompletion(metadata, e);
            }
          });
    }

    @Override
    public void close(Duration timeout) {
      super.close(timeout);
      Exception e = failed.get();
      if (e != null) {
        throw new IllegalStateException(
            "A send of this test producer failed (of " + sent.get() + " sends)", e);
      }
    }
  }

  /** A producer whose sends go in transactions, {@code initTransactions} already called. */
  public KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
    Properties properties = new Properties();
    properties.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    properties.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    properties.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    return producer;
  }

  private boolean answers() {
    if (!Ports.open(port)) {
      return false;
    }
    try (Admin admin = admin()) {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
