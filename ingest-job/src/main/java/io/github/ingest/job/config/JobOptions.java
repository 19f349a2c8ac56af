package io.github.ingest.job.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;

/**
 * Every setting of the job, found in the holders of each concern ({@link KafkaOptions}, {@link
 * TableOptions}, {@link StorageOptions}, {@link BadRecordOptions}, {@link DedupOptions}, {@link
 * MaintenanceOptions}, {@link RunOptions}): the list of all, the choices of each enum setting and
 * the catalog properties passed through are derived from the declarations, never kept by hand.
 * {@code --help} and {@code docs/settings.md} are generated from it.
 */
public final class JobOptions {

  /** The holders, in the order of the help text; each declares its options in its own order. */
  static final List<Class<?>> CONCERNS =
      List.of(
          KafkaOptions.class,
          TableOptions.class,
          StorageOptions.class,
          BadRecordOptions.class,
          DedupOptions.class,
          MaintenanceOptions.class,
          RunOptions.class);

  /** Settings may also come from environment variables with this prefix. */
  public static final String ENV_PREFIX = "INGEST_";

  /** The environment variable naming the properties file, as {@code --config} does. */
  public static final String CONFIG_ENV = ENV_PREFIX + "CONFIG";

  /** The prefixes of passed-through keys. */
  static final List<String> PASS_THROUGH_PREFIXES =
      List.of(KafkaOptions.PROPERTIES_PREFIX, TableOptions.CATALOG_PREFIX, RunOptions.FLINK_PREFIX);

  private static final List<ConfigOption<?>> ALL = new ArrayList<>();
  private static final Map<ConfigOption<?>, Enum<?>[]> CHOICES = new IdentityHashMap<>();
  private static final Map<ConfigOption<?>, Class<?>> HOLDERS = new IdentityHashMap<>();

  static {
    for (Class<?> holder : CONCERNS) {
      for (Field field : holder.getDeclaredFields()) {
        if (field.getType() != ConfigOption.class || !Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        ConfigOption<?> option;
        try {
          option = (ConfigOption<?>) field.get(null);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("Cannot read the setting " + field, e);
        }
        ALL.add(option);
        HOLDERS.put(option, holder);
        Type value = ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0];
        if (value instanceof Class && ((Class<?>) value).isEnum()) {
          CHOICES.put(option, (Enum<?>[]) ((Class<?>) value).getEnumConstants());
        }
      }
    }
  }

  private JobOptions() {}

  /** Every declared option, in the order of the help text. */
  public static List<ConfigOption<?>> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The declared option of {@code key}, or null. */
  static ConfigOption<?> declared(String key) {
    for (ConfigOption<?> option : ALL) {
      if (option.key().equals(key)) {
        return option;
      }
    }
    return null;
  }

  /** Whether {@code option} is a catalog property passed to the catalog as it is set. */
  static boolean passedToCatalog(ConfigOption<?> option) {
    return HOLDERS.get(option) == StorageOptions.class;
  }

  /** The holder that declares {@code option}: its concern. */
  static Class<?> concern(ConfigOption<?> option) {
    return HOLDERS.get(option);
  }

  /** The choices of a setting declared with {@code enumType}, else null. */
  static Enum<?>[] choices(ConfigOption<?> option) {
    return CHOICES.get(option);
  }

  /** The option's description as plain text. */
  public static String text(ConfigOption<?> option) {
    StringBuilder text = new StringBuilder();
    for (BlockElement block : option.description().getBlocks()) {
      if (block instanceof TextElement) {
        text.append(((TextElement) block).getFormat());
      }
    }
    return text.toString();
  }

  /**
   * The environment variable of a setting: {@code INGEST_} and the key in upper case with dots and
   * hyphens as underscores, e.g. {@code INGEST_KAFKA_BOOTSTRAP_SERVERS}.
   */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
