package io.github.ingest.core.internal;

import java.util.Locale;

/** The argument check every class of the library uses, as Iceberg's and Guava's do. */
public final class Preconditions {

  private Preconditions() {}

  /**
   * @throws IllegalArgumentException with {@code message} formatted with {@code args} (in the root
   *     locale) unless {@code condition} holds
   */
  public static void checkArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, message, args));
    }
  }
}
