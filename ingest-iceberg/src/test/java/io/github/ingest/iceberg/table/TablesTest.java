package io.github.ingest.iceberg.table;

import static io.github.ingest.core.mapping.ColumnSource.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ingest.core.internal.ExitCode;
import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.ColumnType;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.PartitionField;
import io.github.ingest.iceberg.TestCatalogs;
import io.github.ingest.iceberg.catalog.ReleasingJdbcCatalog;
import java.nio.file.Path;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table from a mapping, and its evolution, against a real catalog in the same JVM. */
class TablesTest {

  private static final TableIdentifier TABLE = TableIdentifier.of("lake", "orders");

  @TempDir Path dir;

  private ReleasingJdbcCatalog catalog;

  @BeforeEach
  void startCatalog() {
    catalog = TestCatalogs.inMemory(dir);
  }

  @AfterEach
  void closeCatalog() throws Exception {
    catalog.close();
  }

  @Test
  void createsTheTableOfAMappingWithTheJobsDefaults() {
    Table table = Tables.loadOrCreate(catalog, TABLE, orders().build());

    assertThat(table.schema().findField("id").isRequired()).isTrue();
    assertThat(table.schema().findField("amount").type()).isEqualTo(Types.IntegerType.get());
    assertThat(table.spec().fields()).hasSize(1);
    assertThat(((HasTableOperations) table).operations().current().formatVersion()).isEqualTo(2);
    assertThat(table.properties())
        .containsEntry("write.parquet.compression-codec", "zstd")
        .containsEntry("write.distribution-mode", "hash")
        .containsEntry("write.parquet.row-group-size-bytes", Long.toString(32L << 20));
  }

  @Test
  void addsNewOptionalColumnsAndWidensSafely() {
    Tables.loadOrCreate(catalog, TABLE, orders().build());
    Mapping evolved =
        Mapping.builder("orders")
            .table("lake.orders")
            .column(Column.required("id", ColumnType.string(), field("id")))
            .column(Column.optional("amount", ColumnType.bigint(), field("amount")))
            .column(Column.optional("note", ColumnType.string(), field("note")))
            .partitionBy(PartitionField.parse("bucket(4, id)"))
            .build();

    Table table = Tables.loadOrCreate(catalog, TABLE, evolved);

    assertThat(table.schema().findField("amount").type()).isEqualTo(Types.LongType.get());
    assertThat(table.schema().findField("note").isOptional()).isTrue();
  }

  @Test
  void refusesAChangeThatIsNotSafe() {
    Tables.loadOrCreate(catalog, TABLE, orders().build());
    Mapping narrowed =
        Mapping.builder("orders")
            .table("lake.orders")
            .column(Column.required("id", ColumnType.string(), field("id")))
            .column(Column.optional("amount", ColumnType.string(), field("amount")))
            .build();

    assertThatThrownBy(() -> Tables.loadOrCreate(catalog, TABLE, narrowed))
        .isInstanceOfSatisfying(
            IncompatibleTableException.class,
            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_CONFIG))
        .hasMessageContaining("column amount is int in the table, string in the mapping");
  }

  private static Mapping.Builder orders() {
    return Mapping.builder("orders")
        .table("lake.orders")
        .column(Column.required("id", ColumnType.string(), field("id")))
        .column(Column.optional("amount", ColumnType.integer(), field("amount")))
        .partitionBy(PartitionField.parse("bucket(4, id)"));
  }

  private static Mapping sessions(String device, String tags) {
    return Mapping.builder("sessions")
        .table("lake.orders")
        .column(Column.required("id", ColumnType.string(), field("id")))
        .column(Column.optional("device", ColumnType.parse(device), field("device")))
        .column(Column.optional("tags", ColumnType.parse(tags), field("tags")))
        .build();
  }

  @Test
  void nestedColumnsAreCreatedAndGainNewOptionalFieldsInTheMappingsOrder() {
    Table created =
        Tables.loadOrCreate(
            catalog,
            TABLE,
            sessions("struct<os:string not null,version:int>", "list<struct<k:string>>"));
    Types.StructType device = created.schema().findField("device").type().asStructType();
    assertThat(device.field("os").isRequired()).isTrue();
    assertThat(created.schema().findField("tags").type().isListType()).isTrue();

    Table evolved =
        Tables.loadOrCreate(
            catalog,
            TABLE,
            sessions(
                "struct<os:string not null,model:string,version:long,extra:map<string,json>>",
                "list<struct<k:string,v:date>>"));

    Types.StructType now = evolved.schema().findField("device").type().asStructType();
    assertThat(now.fields())
        .extracting(Types.NestedField::name)
        .containsExactly("os", "model", "version", "extra");
    assertThat(now.field("version").type()).isEqualTo(Types.LongType.get());
    assertThat(now.field("model").isOptional()).isTrue();
    assertThat(evolved.schema().findField("tags.element.v").type()).isEqualTo(Types.DateType.get());
  }

  @Test
  void aNestedChangeThatIsNotAdditiveIsRefused() {
    Tables.loadOrCreate(catalog, TABLE, sessions("struct<os:string,version:int>", "list<string>"));

    assertThatThrownBy(
            () ->
                Tables.loadOrCreate(catalog, TABLE, sessions("struct<os:string>", "list<string>")))
        .hasMessageEndingWith("it has field device.version, which the mapping does not fill");
    assertThatThrownBy(
            () ->
                Tables.loadOrCreate(
                    catalog,
                    TABLE,
                    sessions(
                        "struct<os:string,version:int,model:string not null>", "list<string>")))
        .hasMessageEndingWith(
            "the mapping's new field device.model is required; add it as optional");
    assertThatThrownBy(
            () ->
                Tables.loadOrCreate(
                    catalog, TABLE, sessions("struct<os:string,version:int>", "list<int>")))
        .hasMessageEndingWith(
            "field tags.element is string in the table, int in the mapping, which is not a safe"
                + " widening");
    assertThatThrownBy(
            () ->
                Tables.loadOrCreate(
                    catalog, TABLE, sessions("struct<version:int,os:string>", "list<string>")))
        .hasMessageEndingWith(
            "the fields of device are [os, version] in the table, in another order in the"
                + " mapping");
  }
}
