package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A struct from a JSON object: its fields by name, others ignored, required ones present. */
final class StructReader implements ValueReader {

  private final ValueSite site;
  private final List<ColumnType.Field> fields;
  private final Map<String, Integer> positions = new HashMap<>();
  private final ValueReader[] fieldReaders;
  private final ValueSite[] fieldSites;

  StructReader(ValueSite site) {
    this.site = site;
    this.fields = site.type.fields();
    this.fieldReaders = new ValueReader[fields.size()];
    this.fieldSites = new ValueSite[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      ColumnType.Field field = fields.get(i);
      positions.put(field.name(), i);
      fieldSites[i] = site.nested(ColumnSource.step(field.name(), false), field.type());
      fieldReaders[i] = ValueReader.of(fieldSites[i]);
    }
  }

  @Override
  public Object read(JsonParser parser, JsonToken token, byte[] input) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      throw Rejections.invalid(site, parser, token, "not an object");
    }
    Object[] values = new Object[fieldReaders.length];
    KeysSeen seen = new KeysSeen(fieldReaders.length);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      Integer position = positions.get(parser.currentName());
      if (position != null && seen.repeats(position)) {
        throw Rejections.duplicate(fieldSites[position].field, site.columnName);
      }
      JsonToken value = parser.nextToken();
      if (position == null) {
        parser.skipChildren();
      } else if (value != JsonToken.VALUE_NULL) {
        values[position] = fieldReaders[position].read(parser, value, input);
      }
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null && fields.get(i).required()) {
        throw Rejections.missing(fieldSites[i]);
      }
    }
    return values;
  }
}
