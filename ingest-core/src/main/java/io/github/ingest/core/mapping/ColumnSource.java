package io.github.ingest.core.mapping;

import static io.github.ingest.core.internal.Preconditions.checkArgument;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Where a column's value comes from: a field of the JSON message, by name or by a path into nested
 * objects, or a value of the run's metadata.
 *
 * <pre>{@code
 * ColumnSource.field("playerId");
 * ColumnSource.field("session", "device", "os");
 * ColumnSource.metadata(MetadataField.BATCH_NUMBER);
 * }</pre>
 */
public final class ColumnSource implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<String> path;
  private final MetadataField metadata;

  private ColumnSource(List<String> path, MetadataField metadata) {
    this.path = path;
    this.metadata = metadata;
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

  public boolean isField() {
    return metadata == null;
  }

  /** The field path; empty for a metadata source. */
  public List<String> path() {
    return path;
  }

  /** The metadata field; null for a field source. */
  public MetadataField metadata() {
    return metadata;
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
    return path.equals(that.path) && metadata == that.metadata;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, metadata);
  }

  /** {@code field playerId}, {@code field session.device} or {@code metadata batch-number}. */
  @Override
  public String toString() {
    return isField() ? "field " + String.join(".", path) : "metadata " + metadata.id();
  }
}
