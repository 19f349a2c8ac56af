package io.github.ingest.job.stack;

import io.github.ingest.core.testing.ChildProcess;
import io.github.ingest.core.testing.Ports;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3-compatible server (S3Proxy with its filesystem backend) on a free loopback port, with
 * credentials made up for this run.
 */
public final class S3Server implements AutoCloseable {

  private final Path dir;
  private ChildProcess process;
  private final int port;
  private final String accessKey;
  private final String secretKey;

  private S3Server(Path dir, ChildProcess process, int port, String accessKey, String secretKey) {
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  static S3Server start(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("objects"));
    int port = Ports.free();
    String accessKey = "test-" + UUID.randomUUID().toString().substring(0, 8);
    String secretKey = UUID.randomUUID().toString();
    Properties config = new Properties();
    config.setProperty("s3proxy.endpoint", "http://" + Ports.LOOPBACK + ":" + port);
    config.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    config.setProperty("s3proxy.identity", accessKey);
    config.setProperty("s3proxy.credential", secretKey);
    // the AWS SDK v2 sends x-amz-te on GetObject, which S3Proxy otherwise refuses
    config.setProperty("s3proxy.ignore-unknown-headers", "true");
    config.setProperty("jclouds.provider", "filesystem");
    config.setProperty("jclouds.filesystem.basedir", dir.resolve("objects").toString());
    Path file = dir.resolve("s3proxy.properties");
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      config.store(writer, "S3Proxy for tests");
    }
    return new S3Server(dir, launch(dir, port, "s3proxy.log"), port, accessKey, secretKey);
  }

  private static ChildProcess launch(Path dir, int port, String log) {
    ChildProcess process =
        ChildProcess.start(
            "s3proxy",
            dir.resolve(log),
            List.of("-Xmx256m", "-XX:+UseSerialGC"),
            "org.gaul.s3proxy.Main",
            "--properties",
            dir.resolve("s3proxy.properties").toString());
    process.awaitReady(() -> Ports.open(port), Duration.ofMinutes(1));
    return process;
  }

  /** Stops the server as a crash would; {@link #restart} brings it back with its objects. */
  public void stop() {
    process.close();
  }

  /** Starts the stopped server again, on the same port and with the same objects. */
  public void restart() {
    process = launch(dir, port, "s3proxy-restarted.log");
  }

  public String endpoint() {
    return "http://" + Ports.LOOPBACK + ":" + port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Every object key in {@code bucket}. */
  public List<String> keys(String bucket) {
    try (S3Client s3 = client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
          .map(S3Object::key)
          .collect(Collectors.toList());
    }
  }

  /** Deletes the object {@code key} of {@code bucket}. */
  public void delete(String bucket, String key) {
    try (S3Client s3 = client()) {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
