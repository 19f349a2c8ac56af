package io.github.ingest.job.config;

import org.apache.flink.configuration.ConfigOption;

/** The messages for a key the job does not know, with the known key a typo most likely meant. */
final class Suggestions {

  private Suggestions() {}

  static String unknownKey(String key, boolean env) {
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (ConfigOption<?> option : JobOptions.all()) {
      String candidate = env ? JobOptions.envName(option.key()) : option.key();
      int distance = distance(key, candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    String message = env ? "not a setting" : "Unknown setting: " + key;
    if (closest != null && best <= Math.max(2, key.length() / 3)) {
      message += " (did you mean " + closest + "?)";
    } else if (env) {
      message += " (Kafka client properties go under INGEST_KAFKA_PROPERTIES_*)";
    } else {
      message += " (Kafka client properties go under kafka.properties.*)";
    }
    return message;
  }

  static String unknownKafkaProperty(String property) {
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String candidate : Secrets.kafkaProperties()) {
      int distance = distance(property, candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    String message =
        "Unknown Kafka client property: "
            + KafkaOptions.PROPERTIES_PREFIX
            + property
            + " (not a setting of Kafka's consumer or admin client";
    return closest != null && best <= Math.max(2, property.length() / 3)
        ? message + "; did you mean " + KafkaOptions.PROPERTIES_PREFIX + closest + "?)"
        : message + ")";
  }

  /** Levenshtein distance, for suggesting the key a typo meant. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
