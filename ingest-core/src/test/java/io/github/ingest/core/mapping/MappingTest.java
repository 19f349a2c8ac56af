package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.ColumnSource.field;
import static io.github.ingest.core.mapping.ColumnSource.metadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MappingTest {

  @Test
  void parsesTypeNamesAsWritten() {
    assertThat(ColumnType.parse("decimal(29,17)")).isEqualTo(ColumnType.decimal(29, 17));
    assertThat(ColumnType.parse(" DECIMAL( 29 , 17 ) ")).isEqualTo(ColumnType.decimal(29, 17));
    assertThat(ColumnType.parse("timestamp(3)")).isEqualTo(ColumnType.timestamp(3));
    assertThat(ColumnType.parse("timestamptz")).isEqualTo(ColumnType.timestampTz(6));
    assertThat(ColumnType.parse("int")).isEqualTo(ColumnType.integer());
    assertThat(ColumnType.parse("bigint")).isEqualTo(ColumnType.bigint());
    assertThat(ColumnType.decimal(29, 17).toString()).isEqualTo("decimal(29,17)");
  }

  @Test
  void aColumnFromTheKeyOrAHeaderMayBeAPartitionSourceAndListElementsCannotBeNotNull() {
    Mapping mapping =
        Mapping.builder("events")
            .column(Column.required("id", ColumnType.string(), field("id")))
            .column(Column.optional("tenant", ColumnType.string(), ColumnSource.keyField("tenant")))
            .column(Column.optional("region", ColumnType.string(), ColumnSource.header("region")))
            .partitionBy(PartitionField.parse("tenant"))
            .partitionBy(PartitionField.parse("region"))
            .build();
    assertThat(mapping.partitioning()).hasSize(2);
    assertThatThrownBy(() -> ColumnType.parse("list<string not null>"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void integralSpellingsFillIntegerColumnsAndTimestampsKeepTheirPrecisionsDigits() {
    MappingCheck check =
        MappingCheck.of(
            Mapping.builder("spellings")
                .column(Column.optional("n", ColumnType.parse("int"), field("n")))
                .column(Column.optional("at", ColumnType.parse("timestamptz(3)"), field("at")))
                .build());

    for (String spelling : new String[] {"5", "5.0", "\"5\"", "\"5.0\"", "5E0"}) {
      assertThat(check.row("{\"n\":" + spelling + "}").get("n")).as(spelling).isEqualTo(5);
    }
    assertThat(check.row("{\"n\":1E2}").get("n")).isEqualTo(100);
    assertThat(check.rejection("{\"n\":5.5}").getMessage()).endsWith("5.5 (not an integer)");
    assertThat(check.row("{\"at\":\"2026-01-01T00:00:12.123999Z\"}").get("at"))
        .isEqualTo(java.time.Instant.parse("2026-01-01T00:00:12.123Z"));
  }

  @Test
  void rejectsInvalidTypes() {
    assertThatThrownBy(() -> ColumnType.parse("varchar"))
        .hasMessage("Invalid column type: varchar");
    assertThatThrownBy(() -> ColumnType.parse("decimal(29)"))
        .hasMessage("Invalid column type: decimal(29)");
    assertThatThrownBy(() -> ColumnType.decimal(39, 2))
        .hasMessage("Invalid decimal precision 39: must be between 1 and 38");
    assertThatThrownBy(() -> ColumnType.decimal(10, 11))
        .hasMessage("Invalid decimal scale 11: must be between 0 and the precision 10");
    assertThatThrownBy(() -> ColumnType.timestamp(9))
        .hasMessage("Invalid timestamp precision 9: must be between 0 and 6");
  }

  @Test
  void rejectsDuplicateColumns() {
    assertThatThrownBy(
            () ->
                Mapping.builder("orders")
                    .column(Column.required("id", ColumnType.string(), field("id")))
                    .column(Column.optional("ID", ColumnType.string(), field("other")))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid mapping orders: duplicate column ID");
  }

  @Test
  void rejectsAFieldReadBothAsValueAndAsObject() {
    assertThatThrownBy(
            () ->
                Mapping.builder("sessions")
                    .column(Column.optional("device", ColumnType.string(), field("device")))
                    .column(Column.optional("os", ColumnType.string(), field("device", "os")))
                    .build())
        .hasMessage(
            "Invalid mapping sessions: field device of column device is an object holding"
                + " field device.os of column os");
  }

  @Test
  void rejectsMetadataInAColumnThatCannotHoldIt() {
    assertThatThrownBy(
            () ->
                Mapping.builder("orders")
                    .column(
                        Column.required(
                            "batch", ColumnType.date(), metadata(MetadataField.BATCH_NUMBER)))
                    .build())
        .hasMessage(
            "Invalid mapping orders: column batch of type date cannot hold metadata batch-number");
  }

  @Test
  void rejectsAnEmptyMapping() {
    assertThatThrownBy(() -> Mapping.builder("empty").build())
        .hasMessage("Invalid mapping empty: no columns");
  }

  @Test
  void readsNestedFieldsAndRecordMetadata() {
    Mapping mapping =
        Mapping.builder("sessions")
            .column(Column.required("os", ColumnType.string(), field("device", "os")))
            .column(Column.optional("seconds", ColumnType.bigint(), field("stats", "seconds")))
            .column(
                Column.required(
                    "at", ColumnType.integer(), metadata(MetadataField.SOURCE_PARTITION)))
            .column(
                Column.required(
                    "offset", ColumnType.string(), metadata(MetadataField.SOURCE_OFFSET)))
            .build();
    Object[] row =
        mapping
            .mapper(BatchMetadataFixtures.BATCH)
            .map(
                TestRecords.of(
                    "{\"device\":{\"os\":\"linux\",\"x\":[1]},\"stats\":null}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(row).containsExactly("linux", null, 3, "1187");
  }

  @Test
  void namesTheParentThatIsNotAnObject() {
    Mapping mapping =
        Mapping.builder("sessions")
            .column(Column.required("os", ColumnType.string(), field("device", "os")))
            .build();
    assertThatThrownBy(
            () ->
                mapping
                    .mapper(BatchMetadataFixtures.BATCH)
                    .map(
                        TestRecords.of(
                            "{\"device\":\"phone\"}"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .isInstanceOf(RecordRejectedException.class)
        .hasMessage("Cannot read field device.os for column os: device is a string, not an object");
  }
}
