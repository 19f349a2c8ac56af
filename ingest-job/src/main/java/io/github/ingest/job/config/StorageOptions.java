package io.github.ingest.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The S3 settings: catalog properties declared for their help text and checks, and passed to the
 * catalog as they are set, without the {@code catalog.} prefix.
 */
public final class StorageOptions {

  public static final ConfigOption<String> S3_ENDPOINT =
      ConfigOptions.key("catalog.s3.endpoint")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Endpoint of an S3-compatible store (MinIO, Ceph, ...), e.g."
                  + " http://minio:9000; default AWS S3.");

  public static final ConfigOption<Boolean> S3_PATH_STYLE_ACCESS =
      ConfigOptions.key("catalog.s3.path-style-access")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Address buckets as endpoint/bucket instead of bucket.endpoint, as most"
                  + " S3-compatible stores want.");

  public static final ConfigOption<String> S3_ACCESS_KEY_ID =
      ConfigOptions.key("catalog.s3.access-key-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "S3 access key; default the AWS default credential chain (AWS_ACCESS_KEY_ID,"
                  + " ~/.aws/credentials, web identity, instance or container role).");

  public static final ConfigOption<String> S3_SECRET_ACCESS_KEY =
      ConfigOptions.key("catalog.s3.secret-access-key")
          .stringType()
          .noDefaultValue()
          .withDescription("S3 secret key, with catalog.s3.access-key-id. Never logged.");

  public static final ConfigOption<String> CLIENT_REGION =
      ConfigOptions.key("catalog.client.region")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "AWS region of S3 (and Glue); default the AWS default region chain (AWS_REGION,"
                  + " ~/.aws/config), or us-east-1 when catalog.s3.endpoint is set.");

  private StorageOptions() {}
}
