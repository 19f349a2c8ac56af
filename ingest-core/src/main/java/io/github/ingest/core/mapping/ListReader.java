package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A list from a JSON array: each element read as the element type, or null. */
final class ListReader implements ValueReader {

  private final ValueSite site;
  private final ValueReader element;

  ListReader(ValueSite site) {
    this.site = site;
    this.element = ValueReader.of(site.nested(Rejections.ELEMENT, site.type.element()));
  }

  @Override
  public Object read(JsonParser parser, JsonToken token, byte[] input) throws IOException {
    if (token != JsonToken.START_ARRAY) {
      throw Rejections.invalid(site, parser, token, "not an array");
    }
    List<Object> values = new ArrayList<>();
    JsonToken next;
    while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
      try {
        values.add(next == JsonToken.VALUE_NULL ? null : element.read(parser, next, input));
      } catch (RecordRejectedException e) {
        throw Rejections.at(e, "[" + values.size() + "]");
      }
    }
    return values;
  }
}
