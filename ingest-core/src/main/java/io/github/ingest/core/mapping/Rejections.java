package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.io.IOException;

/**
 * The rejections of the mapping and their messages: each names the field's full path, the column,
 * and the value as the record had it, quoted and cut to a readable length. {@code
 * docs/bad-input.md} lists them by kind.
 */
final class Rejections {

  /** Marks a list element or map value in a nested place's name, until it is known. */
  static final String ELEMENT = "\u0000";

  private static final int MAX_VALUE_IN_MESSAGE = 100;

  private Rejections() {}

  /** A value that does not convert to the site's type; {@code detail} says why, if not plain. */
  static RecordRejectedException invalid(ValueSite site, String value, String detail) {
    return reject(
        Kind.INVALID_VALUE,
        site,
        "Cannot convert field "
            + site.field
            + " to "
            + site.type
            + " for column "
            + site.columnName
            + ": "
            + value
            + (detail == null ? "" : " (" + detail + ")"));
  }

  /** The value at the parser does not convert to the site's type. */
  static RecordRejectedException invalid(
      ValueSite site, JsonParser parser, JsonToken token, String detail) throws IOException {
    return invalid(site, render(parser, token), detail);
  }

  /** A required field at {@code site} is absent or null. */
  static RecordRejectedException missing(ValueSite site) {
    return reject(
        Kind.MISSING_FIELD,
        site,
        "Missing required field "
            + site.field
            + " for column "
            + site.columnName
            + ": absent or null");
  }

  static RecordRejectedException reject(Kind kind, ValueSite site, String message) {
    return new RecordRejectedException(kind, site.field, site.columnName, message);
  }

  /** A rejection of the whole record, of no one field. */
  static RecordRejectedException reject(Kind kind, String message) {
    return new RecordRejectedException(kind, null, null, message);
  }

  /**
   * The rejection of a key read twice at {@code path} (a list element's or map value's place still
   * marked, for its container to fill in).
   */
  static RecordRejectedException duplicate(String path, String columnName) {
    return new RecordRejectedException(
        Kind.DUPLICATE_KEY,
        path,
        columnName,
        "Cannot map field "
            + path
            + " for column "
            + columnName
            + ": its key appears twice in one JSON object, so its value is ambiguous");
  }

  /** {@code e} of a list element or map value, with the last {@link #ELEMENT} as {@code where}. */
  static RecordRejectedException at(RecordRejectedException e, String where) {
    return new RecordRejectedException(
        e.kind(), replaceLast(e.field(), where), e.column(), replaceLast(e.getMessage(), where));
  }

  private static String replaceLast(String text, String where) {
    int at = text.lastIndexOf(ELEMENT);
    return at < 0 ? text : text.substring(0, at) + where + text.substring(at + ELEMENT.length());
  }

  /** The value at the parser as a message shows it: a string quoted, a container by its kind. */
  static String render(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return quote(parser.getText());
    }
    if (!token.isScalarValue()) {
      return describe(token);
    }
    String text = parser.getText();
    return text.length() <= MAX_VALUE_IN_MESSAGE
        ? text
        : text.substring(0, MAX_VALUE_IN_MESSAGE) + "... (" + text.length() + " characters)";
  }

  /** {@code text} as a JSON string literal, cut to a readable length. */
  static String quote(String text) {
    return quote(text, MAX_VALUE_IN_MESSAGE);
  }

  /** {@code text} as a JSON string literal, cut after {@code max} characters. */
  static String quote(String text, int max) {
    StringBuilder quoted = new StringBuilder(Math.min(text.length(), max) + 8);
    quoted.append('"');
    for (int i = 0; i < text.length() && i < max; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    quoted.append('"');
    if (text.length() > max) {
      quoted.append("... (").append(text.length()).append(" characters)");
    }
    return quoted.toString();
  }

  /** What a token is, in words: {@code an object}, {@code a number}, ... */
  static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.toString();
    }
  }
}
