package io.github.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseRpcSystemLoaderTest {

  @TempDir Path home;

  @Test
  void aReleaseStartsAkkaFromItsLibInPlace() throws Exception {
    Path jar = home.resolve(ReleaseRpcSystemLoader.JAR);
    Files.createDirectories(jar.getParent());
    // the jar inside Flink's loader, which is on the test class path, as the build unpacks it
    try (InputStream inner =
        RpcSystem.class.getClassLoader().getResourceAsStream("flink-rpc-akka.jar")) {
      assertThat(inner).isNotNull();
      Files.copy(inner, jar);
    }

    Path found = ReleaseRpcSystemLoader.releaseJar(home.resolve("ingest-job.jar"));
    RpcSystem rpc = ReleaseRpcSystemLoader.load(found);

    assertThat(found).isEqualTo(jar);
    assertThat(rpc.getClass().getClassLoader()).isInstanceOf(SubmoduleClassLoader.class);
    RpcService service = rpc.localServiceBuilder(new Configuration()).createAndStart();
    try {
      assertThat(service.getClass().getClassLoader()).isSameAs(rpc.getClass().getClassLoader());
    } finally {
      service.closeAsync().get();
    }
  }

  @Test
  void outsideAReleaseItGivesWayToFlinksLoader() {
    assertThatThrownBy(() -> ReleaseRpcSystemLoader.releaseJar(home.resolve("ingest-job.jar")))
        .isInstanceOf(RpcLoaderException.class)
        .hasMessageContaining("Not in a release with lib/rpc/flink-rpc-akka.jar");
    assertThatThrownBy(() -> ReleaseRpcSystemLoader.releaseJar(home.resolve("classes")))
        .isInstanceOf(RpcLoaderException.class);
  }
}
