package io.github.ingest.job.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * One rule for what the job never shows: Kafka's own password-typed settings ({@code
 * ssl.keystore.password}, {@code sasl.jaas.config}, ...), every key Flink itself treats as
 * sensitive ({@code password}, {@code secret}, {@code token}, ...), and passwords inside URLs such
 * as a JDBC catalog's.
 */
final class Secrets {

  static final String HIDDEN = "******";

  private static final Map<String, ConfigDef.ConfigKey> CONSUMER =
      ConsumerConfig.configDef().configKeys();
  private static final Map<String, ConfigDef.ConfigKey> ADMIN =
      AdminClientConfig.configDef().configKeys();
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)(password=)[^&;]*|(//[^/:@]+:)[^/@]+(@)");

  private Secrets() {}

  /** {@code value} as a log may show it: hidden, or with the password in it hidden. */
  static String shown(String key, String value) {
    if (isSecret(key)) {
      return HIDDEN;
    }
    return URL_PASSWORD
        .matcher(value)
        .replaceAll(
            match ->
                match.group(1) != null
                    ? match.group(1) + HIDDEN
                    : match.group(2) + HIDDEN + match.group(3));
  }

  /** Whether the setting {@code key} holds a secret. */
  static boolean isSecret(String key) {
    if (key.startsWith(KafkaOptions.PROPERTIES_PREFIX)) {
      String property = key.substring(KafkaOptions.PROPERTIES_PREFIX.length());
      if (isPassword(CONSUMER.get(property)) || isPassword(ADMIN.get(property))) {
        return true;
      }
    }
    return GlobalConfiguration.isSensitive(key.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether {@code property} is a setting of Kafka's consumer or admin client, or of the config
   * providers every Kafka client reads ({@code config.providers}, {@code config.providers.*}).
   */
  static boolean isKafkaProperty(String property) {
    return CONSUMER.containsKey(property)
        || ADMIN.containsKey(property)
        || property.equals("config.providers")
        || property.startsWith("config.providers.");
  }

  /** Every setting name of Kafka's consumer and admin client. */
  static Iterable<String> kafkaProperties() {
    java.util.Set<String> names = new java.util.TreeSet<>(CONSUMER.keySet());
    names.addAll(ADMIN.keySet());
    return names;
  }

  private static boolean isPassword(ConfigDef.ConfigKey key) {
    return key != null && key.type == ConfigDef.Type.PASSWORD;
  }
}
