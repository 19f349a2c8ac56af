package io.github.ingest.kafka.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates for a TLS listener on 127.0.0.1, made with the JDK's keytool at test time. */
final class Tls {

  static final String KEYSTORE = "broker.p12";
  static final String TRUSTSTORE = "truststore.p12";
  static final String FOREIGN_TRUSTSTORE = "foreign-truststore.p12";

  private Tls() {}

  /**
   * Makes, in {@code dir}, the broker's key store, a trust store of its certificate and a trust
   * store of another, unrelated certificate; returns {@code dir}.
   */
  static Path make(Path dir, String password) throws IOException {
    Files.createDirectories(dir);
    selfSigned(dir, "broker", KEYSTORE, TRUSTSTORE, password);
    selfSigned(dir, "other", "other.p12", FOREIGN_TRUSTSTORE, password);
    return dir;
  }

  private static void selfSigned(
      Path dir, String alias, String keystore, String truststore, String password)
      throws IOException {
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore,
        "-storepass",
        password,
        "-keypass",
        password);
    keytool(
        dir,
        "-exportcert",
        "-alias",
        alias,
        "-keystore",
        keystore,
        "-storepass",
        password,
        "-file",
        alias + ".crt");
    keytool(
        dir,
        "-importcert",
        "-noprompt",
        "-alias",
        alias,
        "-file",
        alias + ".crt",
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore,
        "-storepass",
        password);
  }

  private static void keytool(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile())
            .start();
    try {
      if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException(
            "keytool " + args[0] + " failed: " + Files.readString(dir.resolve("keytool.log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while running keytool", e);
    }
  }
}
