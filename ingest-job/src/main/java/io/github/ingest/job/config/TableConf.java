package io.github.ingest.job.config;

import io.github.ingest.core.mapping.Mapping;
import io.github.ingest.iceberg.catalog.Catalogs;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The resolved {@link TableOptions} and {@link StorageOptions}: the table, its mapping, its
 * catalog.
 */
public final class TableConf {

  private final Configuration options;
  private final Map<String, String> catalogProperties;
  private final Mapping mapping;

  TableConf(Configuration options, Map<String, String> catalogProperties, Mapping mapping) {
    this.options = options;
    this.catalogProperties = catalogProperties;
    this.mapping = mapping;
  }

  /** The target table: as set, else the mapping's, else {@code ingest.<mapping name>}. */
  public TableIdentifier table() {
    String table = options.get(TableOptions.TABLE);
    if (table == null) {
      table = mapping.table() != null ? mapping.table() : "ingest." + mapping.name();
    }
    return TableIdentifier.parse(table);
  }

  /** The mapping: the file's, or the built-in one, with the partitioning and mode set. */
  public Mapping mapping() {
    return mapping;
  }

  /** The snapshot id of {@code table.accept-new-source}, or {@code ""}. */
  public String acceptedNewSource() {
    return options.getOptional(TableOptions.ACCEPT_NEW_SOURCE).orElse("").trim();
  }

  public String catalogName() {
    return options.get(TableOptions.CATALOG_NAME);
  }

  /** Iceberg catalog properties: the {@code catalog.*} settings and their defaults. */
  public Map<String, String> catalogProperties() {
    Map<String, String> properties = new TreeMap<>(catalogProperties);
    properties.remove("name");
    if (!properties.containsKey("catalog-impl")) {
      properties.put("type", options.get(TableOptions.CATALOG_TYPE));
    }
    properties.put("uri", options.get(TableOptions.CATALOG_URI));
    properties.put("warehouse", options.get(TableOptions.CATALOG_WAREHOUSE));
    return Catalogs.withDefaults(properties);
  }
}
