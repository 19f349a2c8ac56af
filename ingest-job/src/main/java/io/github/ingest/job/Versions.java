package io.github.ingest.job;

import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.iceberg.IcebergBuild;
import org.apache.kafka.common.utils.AppInfoParser;

/** {@code --version}: the job's version and the versions of what it runs on, as loaded. */
final class Versions {

  private Versions() {}

  static String text() {
    String own = IngestJob.class.getPackage().getImplementationVersion();
    return String.format(
        "ingest-job %s%n  Flink %s%n  Iceberg %s%n  Kafka client %s%n  Java %s (%s)%n",
        own == null ? "(development build)" : own,
        EnvironmentInformation.getVersion(),
        IcebergBuild.version(),
        AppInfoParser.getVersion(),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"));
  }
}
