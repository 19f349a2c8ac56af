package io.github.ingest.job.stack;

import io.github.ingest.kafka.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real Kafka broker and S3 server on loopback, in a temporary directory that is deleted on close
 * together with everything they stored.
 */
public final class LocalStack implements AutoCloseable {

  private final Path dir;
  private final KafkaBroker kafka;
  private final S3Server s3;

  private LocalStack(Path dir, KafkaBroker kafka, S3Server s3) {
    this.dir = dir;
    this.kafka = kafka;
    this.s3 = s3;
  }

  public static LocalStack start() throws IOException {
    Path dir = Files.createTempDirectory("ingest-stack-");
    KafkaBroker kafka = null;
    try {
      kafka = KafkaBroker.start(dir.resolve("kafka"));
      S3Server s3 = S3Server.start(dir.resolve("s3"));
      return new LocalStack(dir, kafka, s3);
    } catch (IOException | RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      }
      delete(dir);
      throw e;
    }
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public S3Server s3() {
    return s3;
  }

  /** A fresh directory inside the stack's, deleted with it. */
  public Path newDirectory(String prefix) {
    try {
      return Files.createTempDirectory(dir, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Job settings that ingest {@code topic} into {@code table}, with the catalog in a SQLite file in
   * {@code workDir} and the warehouse in {@code bucket} on the S3 server.
   */
  public Map<String, String> jobSettings(String topic, String table, String bucket, Path workDir) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
    settings.put("kafka.topic", topic);
    settings.put("table", table);
    settings.put("catalog.uri", "jdbc:sqlite:" + workDir.resolve("catalog.db"));
    settings.put("catalog.warehouse", "s3://" + bucket + "/warehouse");
    settings.put("catalog.s3.endpoint", s3.endpoint());
    settings.put("catalog.s3.path-style-access", "true");
    settings.put("catalog.s3.access-key-id", s3.accessKey());
    settings.put("catalog.s3.secret-access-key", s3.secretKey());
    return settings;
  }

  @Override
  public void close() {
    try {
      TableReader.closeAll();
      s3.close();
    } finally {
      try {
        kafka.close();
      } finally {
        delete(dir);
      }
    }
  }

  private static void delete(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e)
                throws IOException {
              Files.delete(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + root, e);
    }
  }
}
