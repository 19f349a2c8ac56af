package io.github.ingest.iceberg.catalog;

import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Iceberg catalogs from ordinary Iceberg catalog properties ({@code type} or {@code catalog-impl},
 * {@code uri}, {@code warehouse}, {@code io-impl}, {@code s3.*}, ...), as serializable loaders that
 * tasks can open on their own.
 *
 * <pre>{@code
 * CatalogLoader loader =
 *     Catalogs.loader("ingest", Map.of("type", "jdbc", "uri", "jdbc:sqlite:catalog.db",
 *         "warehouse", "s3://bucket/warehouse", "io-impl", "org.apache.iceberg.aws.s3.S3FileIO"));
 * Catalog catalog = loader.loadCatalog();
 * }</pre>
 */
public final class Catalogs {

  private static final Map<String, String> IMPLEMENTATIONS = new HashMap<>();

  static {
    IMPLEMENTATIONS.put("jdbc", ReleasingJdbcCatalog.class.getName());
    IMPLEMENTATIONS.put(
        CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP, CatalogUtil.ICEBERG_CATALOG_HADOOP);
    IMPLEMENTATIONS.put(CatalogUtil.ICEBERG_CATALOG_TYPE_HIVE, CatalogUtil.ICEBERG_CATALOG_HIVE);
    IMPLEMENTATIONS.put(
        CatalogUtil.ICEBERG_CATALOG_TYPE_REST, "org.apache.iceberg.rest.RESTCatalog");
    IMPLEMENTATIONS.put("glue", "org.apache.iceberg.aws.glue.GlueCatalog");
  }

  private static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";

  private Catalogs() {}

  /** Whether {@code warehouse} is on an object store, where a Hadoop catalog is unsafe. */
  public static boolean onS3(String warehouse) {
    return warehouse.startsWith("s3://") || warehouse.startsWith("s3a://");
  }

  /**
   * {@code properties} with the defaults this product relies on: S3FileIO with the JDK's HTTP
   * client and an S3-only client factory for an {@code s3://} warehouse, an absolute URI for a
   * local one, and a region for an S3-compatible endpoint. Set properties win.
   */
  public static Map<String, String> withDefaults(Map<String, String> properties) {
    Map<String, String> all = new TreeMap<>(properties);
    String warehouse = all.get(CatalogProperties.WAREHOUSE_LOCATION);
    if (warehouse != null && onS3(warehouse)) {
      all.putIfAbsent(CatalogProperties.FILE_IO_IMPL, S3_FILE_IO);
      // the JDK's HTTP client: Iceberg's default, Apache's, would add three libraries
      all.putIfAbsent("http-client.type", "urlconnection");
      // Iceberg's default factory also makes Glue, KMS and DynamoDB clients, and tasks cannot
      // even deserialize it without those SDKs; this one makes the S3 client alone, the same way
      all.putIfAbsent(
          "s3.client-factory-impl", "org.apache.iceberg.aws.s3.DefaultS3FileIOAwsClientFactory");
    } else if (warehouse != null && !warehouse.contains("://")) {
      all.put(
          CatalogProperties.WAREHOUSE_LOCATION,
          Paths.get(warehouse).toAbsolutePath().toUri().toString());
    }
    if (all.containsKey("s3.endpoint")) {
      // S3-compatible endpoints ignore the region, but the AWS SDK insists on one
      all.putIfAbsent("client.region", "us-east-1");
    }
    return all;
  }

  /**
   * A loader for the catalog {@code name}. {@code type} is one of {@code jdbc}, {@code hadoop},
   * {@code hive}, {@code rest}, {@code glue}; {@code catalog-impl} names any other class.
   */
  public static CatalogLoader loader(String name, Map<String, String> properties) {
    Map<String, String> options = new HashMap<>(properties);
    String type = options.remove(CatalogUtil.ICEBERG_CATALOG_TYPE);
    String impl = options.get(CatalogProperties.CATALOG_IMPL);
    if (type != null && impl != null) {
      throw new IllegalArgumentException(
          "Cannot set both catalog type "
              + type
              + " and catalog-impl "
              + impl
              + " for catalog "
              + name
              + ": set one");
    }
    if (impl == null) {
      if (type == null) {
        throw new IllegalArgumentException(
            "Cannot load catalog " + name + ": set its type (jdbc, rest, hive, glue, hadoop)");
      }
      impl = IMPLEMENTATIONS.get(type.toLowerCase(Locale.ROOT));
      if (impl == null) {
        throw new IllegalArgumentException(
            "Invalid catalog type for catalog "
                + name
                + ": "
                + type
                + " (expected one of "
                + String.join(", ", IMPLEMENTATIONS.keySet())
                + ", or set catalog-impl)");
      }
    }
    options.remove(CatalogProperties.CATALOG_IMPL);
    return CatalogLoader.custom(name, options, new Configuration(), impl);
  }
}
