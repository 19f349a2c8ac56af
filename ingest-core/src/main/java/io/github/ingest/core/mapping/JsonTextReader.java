package io.github.ingest.core.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.io.IOException;

/** A json column: the exact text of the JSON value, as it is in the record's bytes. */
final class JsonTextReader implements ValueReader {

  private final ValueSite site;

  JsonTextReader(ValueSite site) {
    this.site = site;
  }

  @Override
  public Object read(JsonParser parser, JsonToken token, byte[] input) throws IOException {
    int start = (int) parser.currentTokenLocation().getByteOffset();
    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
      parser.skipChildren();
    } else {
      parser.finishToken();
    }
    int end = (int) parser.currentLocation().getByteOffset();
    String text = Utf8.decode(input, start, end - start);
    if (text == null) {
      throw Rejections.reject(
          Kind.INVALID_JSON,
          site,
          "Cannot read field "
              + site.field
              + " for column "
              + site.columnName
              + ": its bytes are not valid UTF-8 ("
              + Utf8.firstInvalid(input, start, end - start)
              + ")");
    }
    return text;
  }
}
