package io.github.ingest.core.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The type names of {@link ColumnType}: read by recursive descent ({@link ColumnType#parse}), and
 * written.
 */
final class TypeNames {
  private final String text;
  private int at;

  TypeNames(String text) {
    this.text = text;
  }

  ColumnType type() {
    String name = word().toLowerCase(Locale.ROOT);
    switch (name) {
      case "string":
        return ColumnType.string();
      case "int":
      case "integer":
        return ColumnType.integer();
      case "long":
      case "bigint":
        return ColumnType.bigint();
      case "boolean":
        return ColumnType.bool();
      case "double":
        return ColumnType.float64();
      case "date":
        return ColumnType.date();
      case "binary":
        return ColumnType.binary();
      case "json":
        return ColumnType.json();
      case "decimal":
        expect('(');
        int precision = number();
        expect(',');
        int scale = number();
        expect(')');
        return ColumnType.decimal(precision, scale);
      case "timestamp":
      case "timestamptz":
        int digits = 6;
        if (peek('(')) {
          expect('(');
          digits = number();
          expect(')');
        }
        return name.equals("timestamp")
            ? ColumnType.timestamp(digits)
            : ColumnType.timestampTz(digits);
      case "list":
        expect('<');
        ColumnType element = type();
        expect('>');
        return ColumnType.list(element);
      case "map":
        expect('<');
        ColumnType key = type();
        if (key.kind() != ColumnType.Kind.STRING) {
          throw invalid("a map's keys are strings");
        }
        expect(',');
        ColumnType value = type();
        expect('>');
        return ColumnType.map(value);
      case "struct":
        expect('<');
        List<ColumnType.Field> fields = new ArrayList<>();
        do {
          String field = word();
          expect(':');
          ColumnType type = type();
          boolean required = false;
          if (peekWord("not")) {
            word();
            if (!word().equalsIgnoreCase("null")) {
              throw invalid("expected not null");
            }
            required = true;
          }
          fields.add(
              required
                  ? ColumnType.Field.required(field, type)
                  : ColumnType.Field.optional(field, type));
        } while (accept(','));
        expect('>');
        return ColumnType.struct(fields);
      default:
        throw invalid(null);
    }
  }

  void end() {
    skipSpace();
    if (at < text.length()) {
      throw invalid(null);
    }
  }

  private String word() {
    skipSpace();
    int start = at;
    while (at < text.length()
        && (Character.isLetterOrDigit(text.charAt(at))
            || text.charAt(at) == '_'
            || text.charAt(at) == '-')) {
      at++;
    }
    if (start == at) {
      throw invalid(null);
    }
    return text.substring(start, at);
  }

  private int number() {
    String digits = word();
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw invalid(null);
    }
  }

  private boolean peek(char c) {
    skipSpace();
    return at < text.length() && text.charAt(at) == c;
  }

  private boolean peekWord(String word) {
    skipSpace();
    return text.regionMatches(true, at, word, 0, word.length());
  }

  private boolean accept(char c) {
    if (peek(c)) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw invalid(null);
    }
  }

  private void skipSpace() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException(
        "Invalid column type: " + text + (why == null ? "" : " (" + why + ")"));
  }

  /** The name of {@code type} as {@link ColumnType#parse} reads it, e.g. {@code decimal(29,17)}. */
  static String name(ColumnType type) {
    switch (type.kind()) {
      case DECIMAL:
        return "decimal(" + type.precision() + "," + type.scale() + ")";
      case TIMESTAMP:
        return "timestamp(" + type.precision() + ")";
      case TIMESTAMP_TZ:
        return "timestamptz(" + type.precision() + ")";
      case INT:
        return "int";
      case LONG:
        return "long";
      case LIST:
        return "list<" + type.element() + ">";
      case MAP:
        return "map<string," + type.element() + ">";
      case STRUCT:
        StringBuilder text = new StringBuilder("struct<");
        for (int i = 0; i < type.fields().size(); i++) {
          text.append(i == 0 ? "" : ",").append(type.fields().get(i));
        }
        return text.append('>').toString();
      default:
        return type.kind().name().toLowerCase(Locale.ROOT);
    }
  }
}
