package io.github.ingest.job;

import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Iterator;
import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Loads the embedded cluster's RPC system (Akka) from the release's {@code lib/rpc/}, where the
 * build put the jar that Flink's own loader ({@code flink-rpc-akka-loader}) carries inside itself.
 * Flink's loader copies that 37 MB jar to a temporary file at each start (and a killed run leaves
 * it behind); this one opens it in place, once per JVM. Outside a release it refuses, and Flink's
 * loader, where it is on the class path, takes over.
 */
public final class ReleaseRpcSystemLoader implements RpcSystemLoader {

  /** Where the jar lies, relative to the directory of the job's jar. */
  static final String JAR = "lib/rpc/flink-rpc-akka.jar";

  private static RpcSystem loaded;

  @Override
  public RpcSystem loadRpcSystem(Configuration config) {
    synchronized (ReleaseRpcSystemLoader.class) {
      if (loaded == null) {
        loaded = load(releaseJar(self()));
      }
      // Akka's RpcSystem has nothing to close; its class loader lives as long as the JVM
      return loaded;
    }
  }

  /** The jar, or directory, this class was loaded from. */
  private static Path self() {
    CodeSource source = ReleaseRpcSystemLoader.class.getProtectionDomain().getCodeSource();
    try {
      if (source == null) {
        throw new RpcLoaderException("Not loaded from a jar: no code source");
      }
      return Paths.get(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new RpcLoaderException("Not loaded from a jar: " + source.getLocation(), e);
    }
  }

  /** {@value #JAR} beside the job's jar {@code self}, if there is one. */
  static Path releaseJar(Path self) {
    Path jar = self.getParent() == null ? null : self.getParent().resolve(JAR);
    if (!self.toString().endsWith(".jar") || jar == null || !Files.isRegularFile(jar)) {
      throw new RpcLoaderException("Not in a release with " + JAR + ": " + self);
    }
    return jar;
  }

  /** The RPC system in {@code jar}, in a class loader of its own as Flink's loader makes. */
  static RpcSystem load(Path jar) {
    try {
      SubmoduleClassLoader loader =
          new SubmoduleClassLoader(
              new URL[] {jar.toUri().toURL()}, RpcSystem.class.getClassLoader());
      Iterator<RpcSystem> systems = ServiceLoader.load(RpcSystem.class, loader).iterator();
      if (!systems.hasNext()) {
        throw new RpcLoaderException("No RPC system in " + jar);
      }
      return systems.next();
    } catch (MalformedURLException e) {
      throw new RpcLoaderException("Cannot open " + jar, e);
    }
  }
}
