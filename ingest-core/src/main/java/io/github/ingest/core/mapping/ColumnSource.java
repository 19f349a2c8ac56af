package io.github.ingest.core.mapping;

import static io.github.ingest.core.internal.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Where a column's value comes from: a field of the JSON value, by name or by a path into nested
 * objects; a field of a JSON key; a header of the record; or a value of the run's or the record's
 * metadata.
 *
 * <pre>{@code
 * ColumnSource.field("playerId");
 * ColumnSource.field("session", "device", "os");
 * ColumnSource.keyField("tenant");
 * ColumnSource.header("trace-id");
 * ColumnSource.metadata(MetadataField.BATCH_NUMBER);
 * }</pre>
 */
public final class ColumnSource implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<String> path;
  private final MetadataField metadata;
  private final boolean inKey;
  private final String header;

  private ColumnSource(List<String> path, MetadataField metadata) {
    this(path, metadata, false, null);
  }

  private ColumnSource(List<String> path, MetadataField metadata, boolean inKey, String header) {
    this.path = path;
    this.metadata = metadata;
    this.inKey = inKey;
    this.header = header;
  }

  /** The value at {@code path} in the record's key, read as a JSON object. */
  public static ColumnSource keyField(String... path) {
    ColumnSource field = field(path);
    return new ColumnSource(field.path, null, true, null);
  }

  /** The value of the record's header {@code name}; the last one if the name repeats. */
  public static ColumnSource header(String name) {
    checkArgument(name != null && !name.isEmpty(), "Invalid header name: %s", name);
    return new ColumnSource(Collections.emptyList(), null, false, name);
  }

  /** The value at {@code path}: the first name is a field of the message, the next ones nested. */
  public static ColumnSource field(String... path) {
    checkArgument(path != null && path.length > 0, "Invalid field path: empty");
    for (String name : path) {
      checkArgument(
          name != null && !name.isEmpty(), "Invalid field path: %s", Arrays.toString(path));
    }
    return new ColumnSource(Collections.unmodifiableList(Arrays.asList(path.clone())), null);
  }

  /** A value that describes the run or the record's place in the source, not its content. */
  public static ColumnSource metadata(MetadataField field) {
    checkArgument(field != null, "Invalid metadata field: null");
    return new ColumnSource(Collections.emptyList(), field);
  }

  /** Whether the value is a field of the record's JSON value. */
  public boolean isField() {
    return metadata == null && !inKey && header == null;
  }

  /** Whether the value is a field of the record's JSON key. */
  public boolean isKeyField() {
    return inKey;
  }

  /** The header's name; null for other sources. */
  public String header() {
    return header;
  }

  /** The field path in the value or the key; empty for other sources. */
  public List<String> path() {
    return path;
  }

  /** The metadata field; null for a field source. */
  public MetadataField metadata() {
    return metadata;
  }

  /**
   * A field path as messages and dead letters name it: names joined by dots ({@code
   * session.device}), and a name that holds a dot, a bracket, a quote or a backslash in brackets
   * and quotes, JSON-escaped ({@code ["meta.v1"].note}), so that no rendering stands for two paths.
   * A list element follows its list as {@code [0]}.
   */
  public static String render(List<String> path) {
    StringBuilder text = new StringBuilder();
    for (String name : path) {
      text.append(step(name, text.length() == 0));
    }
    return text.toString();
  }

  /** One more name of a path: {@code .name}, or {@code name} first, or {@code ["a.b"]}. */
  static String step(String name, boolean first) {
    boolean plain = !name.isEmpty();
    for (int i = 0; i < name.length() && plain; i++) {
      char c = name.charAt(i);
      plain = c != '.' && c != '[' && c != ']' && c != '"' && c != '\\' && c >= ' ';
    }
    if (plain) {
      return first ? name : "." + name;
    }
    return "[" + Rejections.quote(name, Integer.MAX_VALUE) + "]";
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ColumnSource)) {
      return false;
    }
    ColumnSource that = (ColumnSource) other;
    return path.equals(that.path)
        && metadata == that.metadata
        && inKey == that.inKey
        && Objects.equals(header, that.header);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, metadata, inKey, header);
  }

  /**
   * {@code field playerId}, {@code field session.device}, {@code key field tenant}, {@code header
   * trace-id} or {@code metadata batch-number}.
   */
  @Override
  public String toString() {
    if (metadata != null) {
      return "metadata " + metadata.id();
    }
    if (header != null) {
      return "header " + header;
    }
    return (inKey ? "key field " : "field ") + render(path);
  }
}
