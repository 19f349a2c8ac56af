package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.ColumnSource.field;
import static io.github.ingest.core.mapping.ColumnSource.header;
import static io.github.ingest.core.mapping.ColumnSource.keyField;
import static io.github.ingest.core.mapping.ColumnSource.metadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.core.mapping.RecordRejectedException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every part of a Kafka record as a column: key, headers, topic, timestamp type, raw bytes. */
class RecordSourcesTest {

  private static final Mapping MAPPING =
      Mapping.builder("whole_record")
          .column(Column.optional("id", ColumnType.string(), field("id")))
          .column(Column.required("tenant", ColumnType.string(), keyField("tenant")))
          .column(Column.optional("shard", ColumnType.integer(), keyField("route", "shard")))
          .column(
              Column.optional("key_text", ColumnType.string(), metadata(MetadataField.SOURCE_KEY)))
          .column(
              Column.optional("key_bytes", ColumnType.binary(), metadata(MetadataField.SOURCE_KEY)))
          .column(
              Column.optional(
                  "value_bytes", ColumnType.binary(), metadata(MetadataField.SOURCE_VALUE)))
          .column(Column.optional("trace", ColumnType.string(), header("trace-id")))
          .column(Column.optional("trace_bytes", ColumnType.binary(), header("trace-id")))
          .column(Column.optional("absent", ColumnType.string(), header("nobody-sets-this")))
          .column(
              Column.optional(
                  "headers",
                  ColumnType.map(ColumnType.string()),
                  metadata(MetadataField.SOURCE_HEADERS)))
          .column(
              Column.optional("topic", ColumnType.string(), metadata(MetadataField.SOURCE_TOPIC)))
          .column(
              Column.optional(
                  "timestamp_type",
                  ColumnType.string(),
                  metadata(MetadataField.SOURCE_TIMESTAMP_TYPE)))
          .build();

  private static final String KEY = "{\"tenant\":\"eu\",\"route\":{\"shard\":7}}";

  @Test
  void everyPartOfTheRecordFillsItsColumn() {
    MappingCheck.Message message =
        MappingCheck.message("{\"id\":\"s1\"}")
            .withKey(KEY)
            .withHeader("trace-id", "t-1")
            .withHeader("source", "app")
            .withHeader("trace-id", "t-2")
            .at("sessions", 3, 1187)
            .withTimestamp(1_700_000_000_000L, "LogAppendTime");

    Map<String, Object> row = MappingCheck.of(MAPPING).row(message);

    assertThat(row.get("id")).isEqualTo("s1");
    assertThat(row.get("tenant")).isEqualTo("eu");
    assertThat(row.get("shard")).isEqualTo(7);
    assertThat(row.get("key_text")).isEqualTo(KEY);
    assertThat((byte[]) row.get("key_bytes")).isEqualTo(KEY.getBytes(StandardCharsets.UTF_8));
    assertThat((byte[]) row.get("value_bytes"))
        .isEqualTo("{\"id\":\"s1\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(row.get("trace")).as("the last header of a name").isEqualTo("t-2");
    assertThat((byte[]) row.get("trace_bytes")).isEqualTo("t-2".getBytes(StandardCharsets.UTF_8));
    assertThat(row.get("absent")).isNull();
    assertThat(row.get("headers")).isEqualTo(Map.of("trace-id", "t-2", "source", "app"));
    assertThat(row.get("topic")).isEqualTo("sessions");
    assertThat(row.get("timestamp_type")).isEqualTo("LogAppendTime");
  }

  @Test
  void aKeyThatLacksARequiredFieldOrIsNoJsonObjectIsRejected() {
    MappingCheck check = MappingCheck.of(MAPPING);
    RecordRejectedException missing =
        check.rejection(MappingCheck.message("{}").withKey("{\"route\":{\"shard\":1}}"));
    assertThat(missing.kind()).isEqualTo(Kind.MISSING_FIELD);
    assertThat(missing.field()).isEqualTo("key:tenant");
    assertThat(missing.getMessage())
        .isEqualTo("Missing required field key:tenant for column tenant: absent or null");

    RecordRejectedException noKey = check.rejection(MappingCheck.message("{}"));
    assertThat(noKey.field()).isEqualTo("key:tenant");

    RecordRejectedException notAnObject = check.rejection(MappingCheck.message("{}").withKey("eu"));
    assertThat(notAnObject.kind()).isEqualTo(Kind.INVALID_JSON);
    assertThat(notAnObject.getMessage()).startsWith("Cannot parse the key as JSON: ");

    RecordRejectedException wrongType =
        check.rejection(
            MappingCheck.message("{}").withKey("{\"tenant\":\"eu\",\"route\":{\"shard\":\"x\"}}"));
    assertThat(wrongType.field()).isEqualTo("key:route.shard");
    assertThat(wrongType.getMessage())
        .isEqualTo("Cannot convert field key:route.shard to int for column shard: \"x\"");
  }

  @Test
  void aMappingWithoutValueFieldsTakesAnyValueBytes() {
    Mapping raw =
        Mapping.builder("raw")
            .column(Column.optional("key", ColumnType.string(), metadata(MetadataField.SOURCE_KEY)))
            .column(
                Column.required("value", ColumnType.binary(), metadata(MetadataField.SOURCE_VALUE)))
            .build();
    byte[] avro = {0, 1, 2, (byte) 0xff};
    Map<String, Object> row = MappingCheck.of(raw).row(avro, "k".getBytes(StandardCharsets.UTF_8));
    assertThat((byte[]) row.get("value")).isEqualTo(avro);
    assertThat(row.get("key")).isEqualTo("k");
  }

  @Test
  void aTypeThatCannotHoldItsSourceIsRefused() {
    assertThatThrownBy(
            () ->
                Mapping.builder("m")
                    .column(Column.optional("b", ColumnType.binary(), field("payload")))
                    .build())
        .hasMessage(
            "Invalid mapping m: column b of type binary reads field payload, but JSON holds no"
                + " bytes (a binary column takes metadata source-key, source-value or a header)");
    assertThatThrownBy(
            () ->
                Mapping.builder("m")
                    .column(Column.optional("h", ColumnType.integer(), header("n")))
                    .build())
        .hasMessage(
            "Invalid mapping m: column h of type int cannot hold header n (a string or binary"
                + " column can)");
    assertThatThrownBy(
            () ->
                Mapping.builder("m")
                    .column(
                        Column.optional(
                            "hs", ColumnType.string(), metadata(MetadataField.SOURCE_HEADERS)))
                    .build())
        .hasMessage(
            "Invalid mapping m: column hs of type string cannot hold metadata source-headers");
  }

  @Test
  void mappingFilesNameEverySource() {
    Mapping read =
        MappingFiles.read(
            new java.io.ByteArrayInputStream(
                ("{\"name\":\"m\",\"columns\":["
                        + "{\"name\":\"t\",\"type\":\"string\",\"key-field\":\"tenant\"},"
                        + "{\"name\":\"h\",\"type\":\"binary\",\"header\":\"trace-id\"},"
                        + "{\"name\":\"hs\",\"type\":\"map<string,string>\","
                        + "\"metadata\":\"source-headers\"},"
                        + "{\"name\":\"v\",\"type\":\"binary\",\"metadata\":\"source-value\"}]}")
                    .getBytes(StandardCharsets.UTF_8)),
            "m.json");
    assertThat(read.column("t").source()).isEqualTo(keyField("tenant"));
    assertThat(read.column("h").source()).isEqualTo(header("trace-id"));
    assertThat(read.column("hs").type()).isEqualTo(ColumnType.map(ColumnType.string()));
    assertThat(read.column("v").source()).isEqualTo(metadata(MetadataField.SOURCE_VALUE));
  }
}
