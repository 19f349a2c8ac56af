package io.github.ingest.core.mapping;

import static io.github.ingest.core.mapping.ColumnSource.field;
import static io.github.ingest.core.mapping.ColumnSource.metadata;

/**
 * Mappings the tests of the mapper run on. {@link #balanceChanges()} is the table of the
 * balance-change contract, built in code: the job ships the same mapping as a file, and its test
 * checks that the two agree.
 */
public final class MappingFixtures {

  private static final ColumnType AMOUNT = ColumnType.decimal(29, 17);

  private MappingFixtures() {}

  /** The balance-change mapping, column for column. */
  public static Mapping balanceChanges() {
    return Mapping.builder("balance_changes")
        .table("ingest.balance_changes")
        .column(meta("flink_log_file_name", MetadataField.LOG_FILE_NAME))
        .column(meta("flink_log_batch_timestamp", MetadataField.BATCH_TIMESTAMP))
        .column(meta("flink_log_batch_number", MetadataField.BATCH_NUMBER))
        .column(meta("flink_log_source_endpoint", MetadataField.SOURCE_ENDPOINT))
        .column(meta("flink_log_source_client_id", MetadataField.SOURCE_CLIENT_ID))
        .column(meta("flink_log_source_name", MetadataField.SOURCE_NAME))
        .column(
            Column.required("flink_log_event_timestamp", ColumnType.string(), field("timestamp")))
        .column(Column.required("bln_chg_key", ColumnType.string(), field("id")))
        .column(Column.required("bln_chg_player_id", ColumnType.integer(), field("playerId")))
        .column(Column.optional("bln_chg_portal_id", ColumnType.integer(), field("portalId")))
        .column(Column.optional("bln_chg_currency", ColumnType.string(), field("currency")))
        .column(Column.optional("bln_chg_real_balance", AMOUNT, field("realBalance")))
        .column(Column.optional("bln_chg_bonus_balance", AMOUNT, field("bonusBalance")))
        .column(Column.optional("bln_chg_real_balance_eur", AMOUNT, field("realBalanceEUR")))
        .column(Column.optional("bln_chg_bonus_balance_eur", AMOUNT, field("bonusBalanceEUR")))
        .column(Column.required("bln_chg_timestamp", ColumnType.timestamp(3), field("timestamp")))
        .partitionBy(PartitionField.day("bln_chg_timestamp"))
        .build();
  }

  private static Column meta(String name, MetadataField source) {
    return Column.required(name, ColumnType.string(), metadata(source));
  }
}
