package io.github.ingest.iceberg;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/** The table most tests commit to: {@code lake.<name>}, one required long column {@code id}. */
public final class TestTables {

  /** The one column: {@code id bigint not null}. */
  public static final Schema IDS =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  private TestTables() {}

  /** Creates {@code lake.<name>}, unpartitioned, format version 2 as the job's tables are. */
  public static Table ids(Catalog catalog, String name) {
    return catalog.createTable(
        TableIdentifier.of("lake", name),
        IDS,
        PartitionSpec.unpartitioned(),
        Map.of("format-version", "2"));
  }
}
