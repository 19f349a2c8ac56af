package io.github.ingest.core.mapping;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The malformed balance-change messages of {@code bad-records.tsv}, each with the rejection it must
 * get: kind, field and a fragment of the message.
 */
public final class BadRecordCorpus {

  /** A good message that the cases change. */
  public static final String BASE =
      "{\"playerId\":\"10896152\",\"currency\":\"EUR\",\"portalId\":\"2976\","
          + "\"realBalance\":\"12.5\",\"bonusBalance\":1.25,"
          + "\"timestamp\":\"2023-01-30T23:59:59.123+01:00\",\"id\":\"63d859ff7d661-10896152\","
          + "\"realBalanceEUR\":12.5,\"bonusBalanceEUR\":\"0\"}";

  /** One malformed message and what its rejection must say. */
  public static final class Case {
    public final int line;
    public final String description;
    public final RecordRejectedException.Kind kind;
    public final String field;
    public final String fragment;
    public final byte[] value;

    Case(int line, String description, String kind, String field, String fragment, byte[] value) {
      this.line = line;
      this.description = description;
      this.kind = RecordRejectedException.Kind.valueOf(kind);
      this.field = "-".equals(field) ? null : field;
      this.fragment = fragment;
      this.value = value;
    }

    @Override
    public String toString() {
      return "bad-records.tsv:" + line + " " + description;
    }
  }

  private BadRecordCorpus() {}

  public static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = BadRecordCorpus.class.getResourceAsStream("/bad-records.tsv");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", 4);
        if (parts.length != 4) {
          throw new IllegalStateException("bad-records.tsv:" + number + ": expected 4 columns");
        }
        cases.add(new Case(number, parts[3], parts[0], parts[1], parts[2], value(parts[3])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Collections.unmodifiableList(cases);
  }

  static byte[] value(String spec) {
    if (spec.equals("tombstone")) {
      return null;
    }
    if (spec.equals("empty")) {
      return new byte[0];
    }
    int colon = spec.indexOf(':');
    String how = spec.substring(0, colon);
    String what = spec.substring(colon + 1);
    switch (how) {
      case "json":
        return utf8(what);
      case "hex":
        return hex(what.replace(" ", ""));
      case "without":
        return utf8(json(base(), what, null));
      case "with":
        int equals = what.indexOf('=');
        return utf8(json(base(), what.substring(0, equals), what.substring(equals + 1)));
      case "nesting":
        int depth = Integer.parseInt(what);
        String nested = "1";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < depth; i++) {
          text.append("{\"n\":");
        }
        text.append(nested);
        for (int i = 0; i < depth; i++) {
          text.append('}');
        }
        return utf8(json(base(), "extra", text.toString()));
      case "digits":
        int eq = what.indexOf('=');
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < Integer.parseInt(what.substring(eq + 1)); i++) {
          digits.append((char) ('1' + i % 9));
        }
        return utf8(json(base(), what.substring(0, eq), digits.toString()));
      default:
        throw new IllegalArgumentException("Unknown value spec: " + spec);
    }
  }

  /** The base message's fields, in order, as raw JSON values. */
  private static Map<String, String> base() {
    Map<String, String> fields = new LinkedHashMap<>();
    String body = BASE.substring(1, BASE.length() - 1);
    for (String pair : body.split(",(?=\")")) {
      int colon = pair.indexOf(':');
      fields.put(pair.substring(1, colon - 1), pair.substring(colon + 1));
    }
    return fields;
  }

  private static String json(Map<String, String> fields, String field, String rawValue) {
    if (rawValue == null) {
      fields.remove(field);
    } else {
      fields.put(field, rawValue);
    }
    StringBuilder json = new StringBuilder("{");
    fields.forEach(
        (name, value) -> {
          if (json.length() > 1) {
            json.append(',');
          }
          json.append('"').append(name).append("\":").append(value);
        });
    return json.append('}').toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hex(String text) {
    byte[] bytes = new byte[text.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }
}
