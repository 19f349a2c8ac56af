package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.ColumnSource.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Struct, list, map and json columns: values at depth, with the same strict rules. */
class NestedTypesTest {

  private static final Mapping MAPPING =
      Mapping.builder("nested")
          .column(
              Column.optional(
                  "device",
                  ColumnType.parse(
                      "struct<os:string not null,version:int,screen:struct<w:int,h:int>>"),
                  field("device")))
          .column(Column.optional("tags", ColumnType.parse("list<string>"), field("tags")))
          .column(Column.optional("scores", ColumnType.parse("list<int>"), field("scores")))
          .column(
              Column.optional(
                  "items",
                  ColumnType.parse("list<struct<sku:string not null,qty:int>>"),
                  field("items")))
          .column(
              Column.optional(
                  "prices", ColumnType.parse("map<string,decimal(10,2)>"), field("prices")))
          .column(Column.optional("extra", ColumnType.json(), field("extra")))
          .build();

  private static final MappingCheck CHECK = MappingCheck.of(MAPPING);

  @Test
  void nestedValuesMapToStructsListsAndMaps() {
    Map<String, Object> row =
        CHECK.row(
            "{\"device\":{\"os\":\"linux\",\"version\":\"12\",\"screen\":{\"w\":1920},\"x\":1},"
                + "\"tags\":[\"a\",null,\"c\"],\"scores\":[1,2],"
                + "\"items\":[{\"sku\":\"k1\",\"qty\":2},{\"sku\":\"k2\"}],"
                + "\"prices\":{\"eur\":1.5,\"usd\":\"2\"}}");

    Object[] device = (Object[]) row.get("device");
    assertThat(device[0]).isEqualTo("linux");
    assertThat(device[1]).isEqualTo(12);
    assertThat((Object[]) device[2]).containsExactly(1920, null);
    assertThat(row.get("tags")).isEqualTo(Arrays.asList("a", null, "c"));
    assertThat(row.get("scores")).isEqualTo(List.of(1, 2));
    @SuppressWarnings("unchecked")
    List<Object[]> items = (List<Object[]>) row.get("items");
    assertThat(items.get(0)).containsExactly("k1", 2);
    assertThat(items.get(1)).containsExactly("k2", null);
    assertThat(row.get("prices"))
        .isEqualTo(Map.of("eur", new BigDecimal("1.50"), "usd", new BigDecimal("2.00")));
    assertThat(row.get("extra")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\": [1, 2.50, {\"b\": null}], \"c\": \"\\u00e9\\n\"}",
        "[ 1,2 ,3 ]",
        "\"text with \\\"quotes\\\"\"",
        "12.500",
        "true"
      })
  void aJsonColumnKeepsTheExactText(String json) {
    assertThat(CHECK.row("{\"extra\": " + json + " , \"tags\":[]}").get("extra")).isEqualTo(json);
  }

  @Test
  void aWrongTypeAtDepthNamesItsPath() {
    RecordRejectedException e = CHECK.rejection("{\"device\":{\"os\":\"x\",\"version\":\"v2\"}}");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_VALUE);
    assertThat(e.field()).isEqualTo("device.version");
    assertThat(e.column()).isEqualTo("device");
    assertThat(e.getMessage())
        .isEqualTo("Cannot convert field device.version to int for column device: \"v2\"");

    RecordRejectedException deeper =
        CHECK.rejection("{\"device\":{\"os\":\"x\",\"screen\":{\"h\":1.5}}}");
    assertThat(deeper.field()).isEqualTo("device.screen.h");
  }

  @Test
  void aNullInARequiredNestedFieldIsAMissingField() {
    RecordRejectedException e = CHECK.rejection("{\"device\":{\"os\":null,\"version\":1}}");
    assertThat(e.kind()).isEqualTo(Kind.MISSING_FIELD);
    assertThat(e.field()).isEqualTo("device.os");
    assertThat(e.getMessage())
        .isEqualTo("Missing required field device.os for column device: absent or null");

    RecordRejectedException inList = CHECK.rejection("{\"items\":[{\"sku\":\"a\"},{\"qty\":1}]}");
    assertThat(inList.field()).isEqualTo("items[1].sku");
  }

  @Test
  void anArrayOfMixedTypesNamesTheElement() {
    RecordRejectedException e = CHECK.rejection("{\"scores\":[1,\"two\",3]}");
    assertThat(e.field()).isEqualTo("scores[1]");
    assertThat(e.getMessage())
        .isEqualTo("Cannot convert field scores[1] to int for column scores: \"two\"");

    RecordRejectedException nested = CHECK.rejection("{\"scores\":[1,[2]]}");
    assertThat(nested.field()).isEqualTo("scores[1]");
    assertThat(nested.getMessage()).endsWith(": an array");

    RecordRejectedException inMap = CHECK.rejection("{\"prices\":{\"eur\":1,\"gbp\":\"1.234\"}}");
    assertThat(inMap.field()).isEqualTo("prices.gbp");
    assertThat(inMap.getMessage()).endsWith("\"1.234\" (more than 2 fraction digits)");
  }

  @Test
  void aKeyReadTwiceIsRejectedAtAnyDepthAndOtherKeysMayRepeat() {
    Map<String, String> pathOf =
        Map.of(
            "{\"tags\":[],\"tags\":[\"a\"]}", "tags",
            "{\"device\":{\"os\":\"a\",\"version\":1,\"os\":\"b\"}}", "device.os",
            "{\"device\":{\"os\":\"a\",\"screen\":{\"w\":1,\"w\":2}}}", "device.screen.w",
            "{\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\",\"qty\":1,\"qty\":2}]}", "items[1].qty",
            "{\"prices\":{\"eur\":1,\"usd\":2,\"eur\":3}}", "prices.eur");
    pathOf.forEach(
        (json, path) -> {
          RecordRejectedException e = CHECK.rejection(json);
          assertThat(e.kind()).as(json).isEqualTo(Kind.DUPLICATE_KEY);
          assertThat(e.field()).as(json).isEqualTo(path);
          assertThat(e.getMessage())
              .as(json)
              .startsWith("Cannot map field " + path + " for column ")
              .endsWith(": its key appears twice in one JSON object, so its value is ambiguous");
        });
    Map<String, Object> row =
        CHECK.row(
            "{\"x\":1,\"x\":2,\"device\":{\"os\":\"a\",\"y\":1,\"y\":2},"
                + "\"extra\":{\"z\":1,\"z\":2}}");
    assertThat(((Object[]) row.get("device"))[0]).isEqualTo("a");
    assertThat(row.get("extra")).isEqualTo("{\"z\":1,\"z\":2}");
  }

  @Test
  void aKeyReadTwiceIsRejectedAmongMoreThan64() {
    Mapping.Builder wide = Mapping.builder("wide");
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < 70; i++) {
      wide.column(Column.optional("c" + i, ColumnType.parse("int"), field("f" + i)));
      json.append("\"f").append(i).append("\":").append(i).append(',');
    }
    MappingCheck check = MappingCheck.of(wide.build());
    assertThat(check.row(json.substring(0, json.length() - 1) + "}").get("c69")).isEqualTo(69);
    assertThat(check.rejection(json + "\"f69\":0}").field()).isEqualTo("f69");
  }

  @Test
  void aContainerOfTheWrongShapeIsRejected() {
    assertThat(CHECK.rejection("{\"tags\":\"a,b\"}").getMessage())
        .isEqualTo(
            "Cannot convert field tags to list<string> for column tags: \"a,b\" (not an array)");
    assertThat(CHECK.rejection("{\"device\":[1]}").getMessage())
        .isEqualTo(
            "Cannot convert field device to struct<os:string not null,version:int,"
                + "screen:struct<w:int,h:int>> for column device: an array (not an object)");
    assertThat(CHECK.rejection("{\"prices\":[1]}").field()).isEqualTo("prices");
  }

  @Test
  void typesParseAndPrintTheSame() {
    for (String text :
        List.of(
            "list<string>",
            "map<string,decimal(10,2)>",
            "struct<a:string not null,b:list<struct<c:timestamptz(3)>>>",
            "json",
            "binary")) {
      assertThat(ColumnType.parse(text).toString()).isEqualTo(text);
    }
    assertThat(ColumnType.parse(" struct< a : int NOT NULL > "))
        .isEqualTo(
            ColumnType.struct(List.of(ColumnType.Field.required("a", ColumnType.integer()))));
    assertThatThrownBy(() -> ColumnType.parse("map<int,string>"))
        .hasMessage("Invalid column type: map<int,string> (a map's keys are strings)");
    assertThatThrownBy(() -> ColumnType.parse("list<string"))
        .hasMessage("Invalid column type: list<string");
    assertThatThrownBy(() -> ColumnType.parse("struct<a:int,a:long>"))
        .hasMessage("Invalid struct: field a twice");
  }
}
