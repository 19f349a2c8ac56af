package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The field paths a mapping reads from one JSON object (the record's value, or its key), as a trie,
 * and the one pass that reads an object into the columns at its leaves: keys it does not read are
 * skipped, a key it reads twice in one object rejects the record.
 */
final class FieldTree {

  private final Node root = new Node();
  private final String prefix;

  /** A tree whose paths rejections name with {@code prefix} first ({@code key:} for the key). */
  FieldTree(String prefix) {
    this.prefix = prefix;
  }

  /** Column {@code column} reads the field at {@code path}. */
  void add(List<String> path, int column) {
    root.add(path, 0, column, prefix);
  }

  boolean isEmpty() {
    return root.children.isEmpty();
  }

  /**
   * Reads the JSON object whose start the parser is at into {@code row}: each column by its reader
   * ({@code readers}, {@code sites}, by column), a JSON null as null.
   */
  void read(JsonParser parser, Object[] row, byte[] input, ValueReader[] readers, ValueSite[] sites)
      throws IOException {
    read(parser, root, row, input, readers, sites);
  }

  private static void read(
      JsonParser parser,
      Node node,
      Object[] row,
      byte[] input,
      ValueReader[] readers,
      ValueSite[] sites)
      throws IOException {
    KeysSeen seen = new KeysSeen(node.children.size());
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      Node child = node.children.get(parser.currentName());
      if (child != null && seen.repeats(child.index)) {
        throw Rejections.duplicate(child.path, sites[child.firstColumn()].columnName);
      }
      JsonToken token = parser.nextToken();
      if (child == null) {
        parser.skipChildren();
      } else if (child.children.isEmpty()) {
        for (int column : child.columns) {
          row[column] =
              token == JsonToken.VALUE_NULL ? null : readers[column].read(parser, token, input);
        }
      } else if (token == JsonToken.START_OBJECT) {
        read(parser, child, row, input, readers, sites);
      } else if (token != JsonToken.VALUE_NULL) {
        ValueSite site = sites[child.firstColumn()];
        throw Rejections.reject(
            Kind.INVALID_VALUE,
            site,
            "Cannot read field "
                + site.field
                + " for column "
                + site.columnName
                + ": "
                + child.name
                + " is "
                + Rejections.describe(token)
                + ", not an object");
      }
    }
  }

  /** A step of the paths: the columns that end here, the steps that go on. */
  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    int[] columns = new int[0];
    int index;

    /** The path to the node, rendered ({@code meta.v}). */
    String name;

    /** The node's path as rejections name it ({@code key:} first in the key's tree). */
    String path;

    void add(List<String> steps, int at, int column, String prefix) {
      if (at == steps.size()) {
        columns = Arrays.copyOf(columns, columns.length + 1);
        columns[columns.length - 1] = column;
        return;
      }
      Node child =
          children.computeIfAbsent(
              steps.get(at),
              step -> {
                Node created = new Node();
                created.index = children.size();
                return created;
              });
      child.name = ColumnSource.render(steps.subList(0, at + 1));
      child.path = prefix + child.name;
      child.add(steps, at + 1, column, prefix);
    }

    int firstColumn() {
      Node node = this;
      while (node.columns.length == 0) {
        node = node.children.values().iterator().next();
      }
      return node.columns[0];
    }
  }
}
