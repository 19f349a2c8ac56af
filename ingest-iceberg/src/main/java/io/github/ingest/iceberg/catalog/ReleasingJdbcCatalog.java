package io.github.ingest.iceberg.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;

/**
 * Iceberg's JDBC catalog, with the connections its start-up used closed before any other use.
 *
 * <p>When its tables already exist, Iceberg 1.3.0's {@code JdbcCatalog.initialize} leaves the
 * {@code ResultSet} of a {@code getTables} call open. On SQLite that open statement holds a shared
 * lock for the life of the connection, so every commit from another connection, in this process or
 * another, fails with {@code SQLITE_BUSY}. Closing the start-up connections releases it.
 */
public class ReleasingJdbcCatalog extends JdbcCatalog {

  private final PoolHolder holder;

  public ReleasingJdbcCatalog() {
    this(new PoolHolder());
  }

  private ReleasingJdbcCatalog(PoolHolder holder) {
    super(
        null,
        properties ->
            holder.pool = new RenewablePool(properties.get(CatalogProperties.URI), properties),
        true);
    this.holder = holder;
  }

  @Override
  public void initialize(String name, Map<String, String> properties) {
    super.initialize(name, properties);
    holder.pool.renew();
  }

  private static final class PoolHolder {
    private RenewablePool pool;
  }

  /** A pool that passes every use to an inner pool, which {@link #renew} replaces. */
  private static final class RenewablePool extends JdbcClientPool {
    private final String uri;
    private final Map<String, String> properties;
    private volatile JdbcClientPool current;

    RenewablePool(String uri, Map<String, String> properties) {
      super(uri, properties);
      this.uri = uri;
      this.properties = properties;
      this.current = new JdbcClientPool(uri, properties);
    }

    /** Closes every connection made so far; later uses open new ones. */
    void renew() {
      JdbcClientPool old = current;
      current = new JdbcClientPool(uri, properties);
      old.close();
    }

    @Override
    public <R> R run(Action<R, Connection, SQLException> action)
        throws SQLException, InterruptedException {
      return current.run(action);
    }

    @Override
    public <R> R run(Action<R, Connection, SQLException> action, boolean retry)
        throws SQLException, InterruptedException {
      return current.run(action, retry);
    }

    @Override
    public void close() {
      current.close();
      super.close();
    }
  }
}
