package io.github.ingest.iceberg.batch;

import io.github.ingest.batch.StateCodec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;

/**
 * The line before which table maintenance gave up the runs of a table: a table property, {@value
 * #PROPERTY}, holding an instant. A run that started before it may have had its files removed as
 * orphans, so its commit is refused ({@link BatchGuard} checks it on the very metadata the commit
 * builds on), and maintenance removes only files of runs that started before it. Maintenance
 * commits the fence before it deletes anything, so a paused run that wakes up after its files were
 * removed can no longer commit them, however long it slept: fencing, not timing.
 *
 * <p>The fence only moves forward, and never past a run that holds a live lease.
 */
public final class RunFence {

  /** The table property that holds the fence, an ISO-8601 instant. */
  public static final String PROPERTY = StateCodec.PREFIX + "fence.runs-started-before";

  private RunFence() {}

  /** The fence in {@code metadata}, if maintenance ever set one. */
  public static Optional<Instant> of(TableMetadata metadata) {
    String value = metadata.properties().get(PROPERTY);
    return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
  }

  /** Whether {@code metadata}'s fence revokes a run that started at {@code started}. */
  public static boolean revokes(TableMetadata metadata, Instant started) {
    return of(metadata).map(started::isBefore).orElse(false);
  }

  /**
   * Moves the fence of {@code table} forward to {@code fence}, truncated to the second as file
   * names are, unless it stands there or further already; returns the fence in force.
   */
  public static Instant raise(Table table, Instant fence) {
    Instant wanted = fence.truncatedTo(ChronoUnit.SECONDS);
    TableOperations ops = ((HasTableOperations) table).operations();
    TableOperations forwardOnly =
        new ForwardingTableOperations(ops) {
          @Override
          public void commit(TableMetadata base, TableMetadata metadata) {
            // checked on the base of every attempt: a fence another maintenance raised further
            // in between stays where it is
            if (of(base).filter(current -> !current.isBefore(wanted)).isEmpty()) {
              super.commit(base, metadata);
            }
          }
        };
    new BaseTable(forwardOnly, table.name())
        .updateProperties()
        .set(PROPERTY, wanted.toString())
        .commit();
    table.refresh();
    return of(ops.current()).orElse(wanted);
  }
}
