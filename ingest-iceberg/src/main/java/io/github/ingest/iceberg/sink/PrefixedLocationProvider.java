package io.github.ingest.iceberg.sink;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.io.LocationProvider;

/**
 * Puts a prefix in front of every data file name, keeping the table's own layout. It is handed to
 * our writers only, never set as a table property, so other engines writing the table are not bound
 * to it.
 */
public final class PrefixedLocationProvider implements LocationProvider {

  private static final long serialVersionUID = 1L;

  private final LocationProvider delegate;
  private final String prefix;

  /** Names every data file {@code <prefix>-<the name delegate gives>}. */
  public PrefixedLocationProvider(LocationProvider delegate, String prefix) {
    this.delegate = delegate;
    this.prefix = prefix;
  }

  @Override
  public String newDataLocation(String filename) {
    return delegate.newDataLocation(prefix + "-" + filename);
  }

  @Override
  public String newDataLocation(PartitionSpec spec, StructLike partitionData, String filename) {
    return delegate.newDataLocation(spec, partitionData, prefix + "-" + filename);
  }
}
