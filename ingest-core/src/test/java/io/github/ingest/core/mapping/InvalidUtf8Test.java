package io.github.ingest.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wherever bytes become text, bytes that are not UTF-8 reject the record, naming where. */
class InvalidUtf8Test {

  /** "é" cut short, then a byte that never occurs in UTF-8. */
  private static final byte[] NOT_UTF8 = {'a', (byte) 0xC3, '(', (byte) 0xFF};

  private static final byte[] UTF8 = "é-1".getBytes(StandardCharsets.UTF_8);

  private static MappingCheck check(Column column) {
    return MappingCheck.of(Mapping.builder("raw").column(column).build());
  }

  @Test
  void aHeaderInAStringColumn() {
    MappingCheck check =
        check(Column.optional("trace", ColumnType.string(), ColumnSource.header("trace-id")));

    RecordRejectedException e =
        check.rejection(MappingCheck.message("{}").withHeader("trace-id", NOT_UTF8));

    assertThat(e.kind()).isEqualTo(Kind.INVALID_VALUE);
    assertThat(e.field()).isEqualTo("header:trace-id");
    assertThat(e.column()).isEqualTo("trace");
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot read header trace-id as text for column trace: its bytes are not valid UTF-8"
                + " (byte 0xc3 at 1)");
    assertThat(check.row(MappingCheck.message("{}").withHeader("trace-id", UTF8)))
        .containsEntry("trace", "é-1");
  }

  @Test
  void theRawKeyAndValueInStringColumns() {
    MappingCheck key =
        check(
            Column.optional(
                "k", ColumnType.string(), ColumnSource.metadata(MetadataField.SOURCE_KEY)));
    MappingCheck value =
        check(
            Column.optional(
                "v", ColumnType.string(), ColumnSource.metadata(MetadataField.SOURCE_VALUE)));

    RecordRejectedException badKey = key.rejection(MappingCheck.message("{}").withKey(NOT_UTF8));
    RecordRejectedException badValue = value.rejection(NOT_UTF8);

    assertThat(badKey.field()).isEqualTo("source-key");
    assertThat(badKey.getMessage())
        .isEqualTo(
            "Cannot read the record's key as text for column k: its bytes are not valid UTF-8"
                + " (byte 0xc3 at 1)");
    assertThat(badValue.kind()).isEqualTo(Kind.INVALID_VALUE);
    assertThat(badValue.field()).isEqualTo("source-value");
    assertThat(value.row(UTF8, null)).containsEntry("v", "é-1");
  }

  @Test
  void everyHeaderOfAStringMap() {
    MappingCheck check =
        check(
            Column.optional(
                "headers",
                ColumnType.parse("map<string,string>"),
                ColumnSource.metadata(MetadataField.SOURCE_HEADERS)));

    RecordRejectedException e =
        check.rejection(
            MappingCheck.message("{}").withHeader("ok", "x").withHeader("bad", NOT_UTF8));

    assertThat(e.field()).isEqualTo("header:bad");
    assertThat(e.column()).isEqualTo("headers");
    assertThat(check.row(MappingCheck.message("{}").withHeader("ok", UTF8).withHeader("none")))
        .containsEntry("headers", mapOf("ok", "é-1", "none", null));
  }

  @Test
  void aBinaryColumnTakesAnyBytes() {
    MappingCheck check =
        check(Column.optional("trace", ColumnType.binary(), ColumnSource.header("trace-id")));

    assertThat(
            (byte[])
                check.row(MappingCheck.message("{}").withHeader("trace-id", NOT_UTF8)).get("trace"))
        .isEqualTo(NOT_UTF8);
  }

  private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }
}
