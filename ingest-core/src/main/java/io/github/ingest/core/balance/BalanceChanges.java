package io.github.ingest.core.balance;

import static io.github.ingest.core.mapping.ColumnSource.field;
import static io.github.ingest.core.mapping.ColumnSource.metadata;

import io.github.ingest.core.mapping.Column;
import io.github.ingest.core.mapping.ColumnType;
import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.core.mapping.MetadataField;

/**
 * The balance-change mapping: messages of the {@code balance_changes} topic to the table whose
 * columns start with {@code flink_log_} (the run) and {@code bln_chg_} (the change).
 *
 * <p>{@code id}, {@code playerId} and {@code timestamp} are required; every other field is
 * optional. Amounts are exact {@code decimal(29,17)}; {@code timestamp} must carry an offset and is
 * stored both as received and as a UTC timestamp with milliseconds.
 */
public final class BalanceChanges {

  private static final ColumnType AMOUNT = ColumnType.decimal(29, 17);

  private static final Mapping MAPPING =
      Mapping.builder("balance_changes")
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
          .build();

  private BalanceChanges() {}

  /** The mapping of SPEC's table contract, column for column. */
  public static Mapping mapping() {
    return MAPPING;
  }

  private static Column meta(String name, MetadataField source) {
    return Column.required(name, ColumnType.string(), metadata(source));
  }
}
