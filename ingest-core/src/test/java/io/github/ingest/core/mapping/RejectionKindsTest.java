package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.ColumnSource.field;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * One rejection of each kind, rendered whole, and the docs' table of kinds (docs/bad-input.md),
 * which must list every kind with the field and message this mapper gives for its example.
 */
class RejectionKindsTest {

  private static final MappingCheck CHECK =
      MappingCheck.of(
          Mapping.builder("orders")
              .column(Column.required("order_id", ColumnType.string(), field("id")))
              .column(Column.optional("qty", ColumnType.parse("int"), field("qty")))
              .column(
                  Column.optional(
                      "items", ColumnType.parse("list<struct<sku:string>>"), field("items")))
              .column(
                  Column.optional("tenant", ColumnType.string(), ColumnSource.keyField("tenant")))
              .column(Column.optional("trace", ColumnType.string(), ColumnSource.header("trace")))
              .build());

  /** Each kind's example, as the docs' table shows it. */
  private static Map<Kind, RecordRejectedException> examples() {
    Map<Kind, RecordRejectedException> examples = new EnumMap<>(Kind.class);
    examples.put(Kind.NO_VALUE, CHECK.rejection(MappingCheck.message(null)));
    examples.put(Kind.EMPTY_VALUE, CHECK.rejection(""));
    examples.put(Kind.INVALID_JSON, CHECK.rejection("{\"id\":\"o-1\",}"));
    examples.put(Kind.NOT_AN_OBJECT, CHECK.rejection("[\"o-1\"]"));
    examples.put(
        Kind.DUPLICATE_KEY,
        CHECK.rejection("{\"id\":\"o-1\",\"items\":[{\"sku\":\"a\",\"sku\":\"b\"}]}"));
    examples.put(Kind.MISSING_FIELD, CHECK.rejection("{\"qty\":2}"));
    examples.put(Kind.INVALID_VALUE, CHECK.rejection("{\"id\":\"o-1\",\"qty\":2.5}"));
    return examples;
  }

  @Test
  void eachKindReadsAsASentenceThatNamesWhereAndWhat() {
    Map<Kind, RecordRejectedException> examples = examples();

    assertThat(examples.keySet()).containsExactly(Kind.values());
    examples.forEach((kind, e) -> assertThat(e.kind()).as(kind.name()).isEqualTo(kind));
    assertThat(examples.get(Kind.NO_VALUE).getMessage())
        .isEqualTo("Cannot map a record without a value (a tombstone) to a row");
    assertThat(examples.get(Kind.EMPTY_VALUE).getMessage())
        .isEqualTo("Cannot map the value: it is empty (zero bytes), not a JSON object");
    assertThat(examples.get(Kind.INVALID_JSON).getMessage())
        .startsWith("Cannot parse the value as JSON: ")
        .endsWith(", at byte 13");
    assertThat(examples.get(Kind.NOT_AN_OBJECT).getMessage())
        .isEqualTo("Cannot map the value: it is an array, not a JSON object");
    assertThat(examples.get(Kind.DUPLICATE_KEY).field()).isEqualTo("items[0].sku");
    assertThat(examples.get(Kind.DUPLICATE_KEY).getMessage())
        .isEqualTo(
            "Cannot map field items[0].sku for column items: its key appears twice in one JSON"
                + " object, so its value is ambiguous");
    assertThat(examples.get(Kind.MISSING_FIELD).getMessage())
        .isEqualTo("Missing required field id for column order_id: absent or null");
    assertThat(examples.get(Kind.INVALID_VALUE).getMessage())
        .isEqualTo("Cannot convert field qty to int for column qty: 2.5 (not an integer)");
  }

  @Test
  void aKeyOrAHeaderIsNamedWithItsPrefix() {
    RecordRejectedException key =
        CHECK.rejection(MappingCheck.message("{\"id\":\"o-1\"}").withKey("\"eu\""));
    assertThat(key.kind()).isEqualTo(Kind.NOT_AN_OBJECT);
    assertThat(key.getMessage()).isEqualTo("Cannot map the key: it is a string, not a JSON object");

    RecordRejectedException twice =
        CHECK.rejection(
            MappingCheck.message("{\"id\":\"o-1\"}")
                .withKey("{\"tenant\":\"a\",\"tenant\":\"b\"}"));
    assertThat(twice.kind()).isEqualTo(Kind.DUPLICATE_KEY);
    assertThat(twice.field()).isEqualTo("key:tenant");
  }

  @Test
  void theDocsTableListsEveryKindWithItsExample() throws IOException {
    Path docs = Paths.get("..", "docs", "bad-input.md");
    String text = new String(Files.readAllBytes(docs), StandardCharsets.UTF_8);
    Pattern row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|(.*)\\| `(.*)` \\| (.*) \\|$");
    List<Kind> listed = new ArrayList<>();
    Map<Kind, RecordRejectedException> examples = examples();
    Matcher rows = row.matcher(text);
    while (rows.find()) {
      Kind kind = Kind.valueOf(rows.group(1));
      listed.add(kind);
      RecordRejectedException example = examples.get(kind);
      String field = example.field() == null ? "(none)" : example.field();
      assertThat(rows.group(3)).as(kind.name() + "'s field").isEqualTo(field);
      assertThat(rows.group(4)).as(kind.name() + "'s message").isEqualTo(example.getMessage());
    }
    assertThat(listed).containsExactly(Kind.values());
  }
}
