package io.github.ingest.iceberg.catalog;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Iceberg's JDBC catalog, with a start-up that tolerates other processes starting at the same time
 * and that releases the connections it used.
 *
 * <p>Iceberg 1.3.0's {@code JdbcCatalog.initialize} creates its own tables when a {@code getTables}
 * call does not find them, without {@code IF NOT EXISTS} and with that call's {@code ResultSet}
 * still open. Two processes starting on a new SQLite file at once can so fail with {@code
 * SQLITE_BUSY} (each holds a read lock the other's {@code CREATE TABLE} waits for) or with "table
 * already exists". Either way the other process has created the tables, so the start-up is tried
 * again a few times, after a short random pause; a failure to connect is not.
 *
 * <p>When its tables already exist, Iceberg 1.3.0's {@code JdbcCatalog.initialize} leaves the
 * {@code ResultSet} of a {@code getTables} call open. On SQLite that open statement holds a shared
 * lock for the life of the connection, so every commit from another connection, in this process or
 * another, fails with {@code SQLITE_BUSY}. Closing the start-up connections releases it.
 */
public class ReleasingJdbcCatalog extends JdbcCatalog {

  private static final Logger LOG = LoggerFactory.getLogger(ReleasingJdbcCatalog.class);
  private static final int START_ATTEMPTS = 5;

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

  /** Catalogs of this class's loader that are open, and so use its drivers. */
  private static int open;

  /**
   * Registers the JDBC drivers of this class's loader for the first catalog of that loader that
   * opens. {@code DriverManager} loads drivers once in a JVM, with the class loader of its first
   * caller, and hands a caller only drivers its own loader loaded. On a Flink session cluster every
   * job has a class loader of its own: the second job whose catalog a TaskManager opens would find
   * no driver of its own jar ("No suitable driver").
   */
  private static synchronized void acquireDrivers() {
    if (open++ > 0) {
      return;
    }
    Set<Class<?>> registered = new HashSet<>();
    DriverManager.drivers().forEach(driver -> registered.add(driver.getClass()));
    Iterator<Driver> drivers =
        ServiceLoader.load(Driver.class, ReleasingJdbcCatalog.class.getClassLoader()).iterator();
    while (drivers.hasNext()) {
      try {
        Driver driver = drivers.next();
        if (registered.add(driver.getClass())) {
          DriverManager.registerDriver(driver);
        }
      } catch (ServiceConfigurationError | SQLException e) {
        LOG.debug("Cannot register a JDBC driver: {}", e.toString());
      }
    }
  }

  /**
   * Deregisters the drivers of this class's loader when its last catalog closes, so that a job's
   * class loader is not kept alive by {@code DriverManager} after the job.
   */
  private static synchronized void releaseDrivers() {
    if (--open > 0) {
      return;
    }
    ClassLoader own = ReleasingJdbcCatalog.class.getClassLoader();
    DriverManager.drivers()
        .filter(driver -> driver.getClass().getClassLoader() == own)
        .forEach(
            driver -> {
              try {
                DriverManager.deregisterDriver(driver);
              } catch (SQLException e) {
                LOG.debug("Cannot deregister JDBC driver {}: {}", driver, e.toString());
              }
            });
  }

  /**
   * A database that cannot be reached: no use trying again. Drivers say so by type (SQLite) or only
   * by SQL state class 08, connection exception (PostgreSQL).
   */
  private static boolean isConnectionFailure(Throwable cause) {
    return cause instanceof SQLTransientConnectionException
        || cause instanceof SQLNonTransientConnectionException
        || (cause instanceof SQLException
            && ((SQLException) cause).getSQLState() != null
            && ((SQLException) cause).getSQLState().startsWith("08"));
  }

  @Override
  public void initialize(String name, Map<String, String> properties) {
    acquireDrivers();
    try {
      start(name, properties);
    } catch (RuntimeException e) {
      releaseDrivers();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      releaseDrivers();
    }
  }

  private void start(String name, Map<String, String> properties) {
    for (int attempt = 1; ; attempt++) {
      try {
        super.initialize(name, properties);
        break;
      } catch (UncheckedSQLException e) {
        if (attempt == START_ATTEMPTS || isConnectionFailure(e.getCause())) {
          throw e;
        }
        holder.pool.close();
        long pauseMillis = ThreadLocalRandom.current().nextLong(100, 300) << attempt;
        LOG.info(
            "Catalog start-up failed ({}), trying again in {} ms",
            e.getCause() == null ? e.getMessage() : e.getCause().getMessage(),
            pauseMillis);
        pause(pauseMillis);
      }
    }
    holder.pool.renew();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the catalog", e);
    }
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
