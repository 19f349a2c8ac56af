package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads a JSON value, its first token given, as the value of one place of a column ({@link
 * ValueSite}); never called for a JSON null. One reader per place, chosen once when the mapper is
 * built by {@link #of}: the one place a new type of field column is added.
 */
@FunctionalInterface
interface ValueReader {

  /** The value; {@code input} is the whole JSON document, for readers that keep its text. */
  Object read(JsonParser parser, JsonToken token, byte[] input) throws IOException;

  /** The reader of a place of {@code site}'s type. */
  static ValueReader of(ValueSite site) {
    switch (site.type.kind()) {
      case STRING:
        return scalar(site, (parser, token, input) -> parser.getText());
      case INT:
        return scalar(
            site,
            (parser, token, input) ->
                (int)
                    ScalarParsers.integral(
                        parser, token, site, Integer.MIN_VALUE, Integer.MAX_VALUE));
      case LONG:
        return scalar(
            site,
            (parser, token, input) ->
                ScalarParsers.integral(parser, token, site, Long.MIN_VALUE, Long.MAX_VALUE));
      case DECIMAL:
        return scalar(site, (parser, token, input) -> Decimals.decimal(parser, token, site));
      case BOOLEAN:
        return scalar(site, (parser, token, input) -> ScalarParsers.bool(parser, token, site));
      case DOUBLE:
        return scalar(site, (parser, token, input) -> ScalarParsers.float64(parser, token, site));
      case DATE:
        return scalar(site, (parser, token, input) -> ScalarParsers.date(parser, token, site));
      case TIMESTAMP:
        return scalar(
            site,
            (parser, token, input) ->
                MetadataValues.localDateTime(ScalarParsers.micros(parser, token, site)));
      case TIMESTAMP_TZ:
        return scalar(
            site,
            (parser, token, input) ->
                MetadataValues.instant(ScalarParsers.micros(parser, token, site)));
      case JSON:
        return new JsonTextReader(site);
      case STRUCT:
        return new StructReader(site);
      case LIST:
        return new ListReader(site);
      case MAP:
        return new MapReader(site);
      default:
        throw new IllegalArgumentException("Unsupported type of a field column: " + site.type);
    }
  }

  /** A reader of scalars, which rejects an object or an array. */
  private static ValueReader scalar(ValueSite site, ValueReader read) {
    return (parser, token, input) -> {
      if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        throw Rejections.invalid(site, Rejections.describe(token), null);
      }
      return read.read(parser, token, input);
    };
  }
}
