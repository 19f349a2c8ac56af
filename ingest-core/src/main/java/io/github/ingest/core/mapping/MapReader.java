package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A map from a JSON object with free keys: each value read as the value type, or null. */
final class MapReader implements ValueReader {

  private final ValueSite site;
  private final ValueReader value;

  MapReader(ValueSite site) {
    this.site = site;
    this.value = ValueReader.of(site.nested(Rejections.ELEMENT, site.type.element()));
  }

  @Override
  public Object read(JsonParser parser, JsonToken token, byte[] input) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      throw Rejections.invalid(site, parser, token, "not an object");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      if (values.containsKey(key)) {
        throw Rejections.duplicate(site.field + ColumnSource.step(key, false), site.columnName);
      }
      JsonToken next = parser.nextToken();
      try {
        values.put(key, next == JsonToken.VALUE_NULL ? null : value.read(parser, next, input));
      } catch (RecordRejectedException e) {
        throw Rejections.at(e, ColumnSource.step(key, false));
      }
    }
    return values;
  }
}
