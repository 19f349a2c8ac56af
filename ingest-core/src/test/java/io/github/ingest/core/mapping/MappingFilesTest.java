package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.ColumnSource.field;
import static io.github.ingest.core.mapping.ColumnSource.metadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MappingFilesTest {

  @Test
  void readsEveryKindOfColumnSourceAndPartitioning() {
    Mapping mapping =
        read(
            "{\"name\":\"sessions\",\"table\":\"lake.sessions\",\"columns\":["
                + "{\"name\":\"id\",\"type\":\"string\",\"field\":\"id\",\"required\":true},"
                + "{\"name\":\"os\",\"type\":\"string\",\"field\":\"device.os\"},"
                + "{\"name\":\"odd\",\"type\":\"string\",\"field\":[\"a.b\",\"c\"]},"
                + "{\"name\":\"ms\",\"type\":\"long\",\"field\":\"durationMs\"},"
                + "{\"name\":\"paid\",\"type\":\"boolean\",\"field\":\"paid\"},"
                + "{\"name\":\"day\",\"type\":\"date\",\"field\":\"day\"},"
                + "{\"name\":\"at\",\"type\":\"timestamptz(3)\",\"field\":\"at\"},"
                + "{\"name\":\"offset\",\"type\":\"long\",\"metadata\":\"source-offset\"}],"
                + "\"partitioning\":[\"day(at)\",\"bucket(8, id)\"],"
                + "\"properties\":{\"write.parquet.row-group-size-bytes\":\"8388608\"}}");
    assertThat(mapping.table()).isEqualTo("lake.sessions");
    assertThat(mapping.column("os").source()).isEqualTo(field("device", "os"));
    assertThat(mapping.column("odd").source()).isEqualTo(field("a.b", "c"));
    assertThat(mapping.column("offset").source()).isEqualTo(metadata(MetadataField.SOURCE_OFFSET));
    assertThat(mapping.partitioning())
        .containsExactly(PartitionField.day("at"), PartitionField.bucket(8, "id"));
    assertThat(mapping.properties()).containsEntry("write.parquet.row-group-size-bytes", "8388608");

    Map<String, Object> row =
        MappingCheck.of(mapping)
            .row(
                "{\"id\":\"s1\",\"device\":{\"os\":\"ios\"},\"a.b\":{\"c\":\"x\"},\"durationMs\":"
                    + "9000000000,\"paid\":true,\"day\":\"2026-03-29\","
                    + "\"at\":\"2026-03-29T02:30:00.123+02:00\"}");
    assertThat(row)
        .containsEntry("id", "s1")
        .containsEntry("os", "ios")
        .containsEntry("odd", "x")
        .containsEntry("ms", 9_000_000_000L)
        .containsEntry("paid", true)
        .containsEntry("offset", 0L);
    assertThat(row.get("day"))
        .isIn(LocalDate.parse("2026-03-29"), (int) LocalDate.parse("2026-03-29").toEpochDay());
    assertThat(row.get("at")).isNotNull();
    assertThat(MappingCheck.of(mapping).rejection("{\"durationMs\":1}").field()).isEqualTo("id");
  }

  @Test
  void readsTimestampsInOtherFormatsAndZones() {
    Mapping mapping =
        read(
            "{\"name\":\"m\",\"columns\":["
                + "{\"name\":\"ms\",\"type\":\"timestamp(3)\",\"field\":\"ms\",\"format\":\"epoch-millis\"},"
                + "{\"name\":\"s\",\"type\":\"timestamp(3)\",\"field\":\"s\",\"format\":\"epoch-seconds\"},"
                + "{\"name\":\"local\",\"type\":\"timestamp(3)\",\"field\":\"local\",\"zone\":\"Europe/Berlin\"}]}");
    assertThat(mapping.column("ms").format()).isEqualTo(Column.TimestampFormat.EPOCH_MILLIS);
    MappingCheck check = MappingCheck.of(mapping);
    Map<String, Object> row =
        check.row(
            "{\"ms\":1675119599123,\"s\":\"1675119599\",\"local\":\"2023-01-30T23:59:59.5\"}");
    assertThat(row)
        .containsEntry("ms", LocalDateTime.parse("2023-01-30T22:59:59.123"))
        .containsEntry("s", LocalDateTime.parse("2023-01-30T22:59:59"))
        .containsEntry("local", LocalDateTime.parse("2023-01-30T22:59:59.5"));
    // a time in the spring-forward gap moves forward; one in the autumn overlap takes the earlier
    // offset; an explicit offset wins over the zone
    assertThat(check.row("{\"local\":\"2026-03-29T02:30:00\"}").get("local"))
        .isEqualTo(LocalDateTime.parse("2026-03-29T01:30:00"));
    assertThat(check.row("{\"local\":\"2026-10-25T02:30:00\"}").get("local"))
        .isEqualTo(LocalDateTime.parse("2026-10-25T00:30:00"));
    assertThat(check.row("{\"local\":\"2026-10-25T02:30:00Z\"}").get("local"))
        .isEqualTo(LocalDateTime.parse("2026-10-25T02:30:00"));
    assertThat(check.rejection("{\"ms\":1.5}").getMessage())
        .isEqualTo(
            "Cannot convert field ms to timestamp(3) for column ms: 1.5 (expected an integral epoch-millis)");
    assertThat(check.rejection("{\"s\":\"99999999999999999999\"}").getMessage())
        .contains("(expected an integral epoch-seconds)");
    assertThat(check.rejection("{\"ms\":9223372036854775807}").getMessage())
        .contains("(out of range)");
  }

  @Test
  void namesTheColumnAndTheProblem() {
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"strng\",\"field\":\"a\"}]}",
        "Invalid mapping file test.json: column a: Invalid column type: strng");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"field\":\"a\"},"
            + "{\"name\":\"a\",\"type\":\"int\",\"field\":\"b\"}]}",
        "Invalid mapping file test.json: Invalid mapping m: duplicate column a");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"decimal(40,2)\",\"field\":\"a\"}]}",
        "Invalid mapping file test.json: column a: Invalid decimal precision");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"decimal(5,7)\",\"field\":\"a\"}]}",
        "Invalid mapping file test.json: column a: Invalid decimal");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"field\":\"a\"}],"
            + "\"partitioning\":[\"day(b)\"]}",
        "Invalid mapping file test.json: Invalid mapping m: partition field day(b) names no column");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"field\":\"a\"}],"
            + "\"partitioning\":[\"day(a)\"]}",
        "Invalid mapping file test.json: Invalid mapping m: partition field day(a) does not apply"
            + " to column a of type string");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"field\":\"a\"}],"
            + "\"partitioning\":[\"bucket(a)\"]}",
        "Invalid mapping file test.json: Invalid partition field 'bucket(a)'");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"metadata\":\"batch-id\"}]}",
        "Invalid mapping file test.json: column a: unknown metadata batch-id (expected one of");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"string\"}]}",
        "Invalid mapping file test.json: column a needs exactly one of field, key-field, header and"
            + " metadata");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"field\":\"a\",\"requird\":true}]}",
        "Invalid mapping file test.json: column a has an unknown key requird");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"type\":\"string\",\"field\":\"a\"}]}",
        "Invalid mapping file test.json: column 1 has no name");
    assertInvalid(
        "{\"name\":\"m\"}", "Invalid mapping file test.json: the mapping has no list of columns");
    assertInvalid(
        "{\"name\":\"m\",\"table\":\"nodot\",\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"field\":\"a\"}]}",
        "Invalid mapping file test.json: Invalid mapping m: table nodot is not namespace.name");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"int\",\"metadata\":\"log-file-name\"}]}",
        "Invalid mapping file test.json: Invalid mapping m: column a of type int cannot hold metadata log-file-name");
    assertInvalid("{\"name\":\"m\",", "Invalid mapping file test.json: Unexpected end-of-input");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"string\",\"field\":\"a\",\"zone\":\"UTC\"}]}",
        "Invalid mapping file test.json: column a: Invalid column a: only a timestamp column read from a field can have a time zone");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"timestamp\",\"field\":\"a\",\"zone\":\"Mars/Olympus\"}]}",
        "Invalid mapping file test.json: column a: Invalid time zone for column a: Mars/Olympus");
    assertInvalid(
        "{\"name\":\"m\",\"columns\":[{\"name\":\"a\",\"type\":\"timestamp\",\"field\":\"a\",\"format\":\"unix\"}]}",
        "Invalid mapping file test.json: column a: Invalid timestamp format: unix (expected iso, epoch-millis or epoch-seconds)");
  }

  private static void assertInvalid(String json, String message) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  private static Mapping read(String json) {
    return MappingFiles.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }
}
