package io.github.ingest.iceberg.sink;

import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/** The operations of a table with another location provider; everything else is delegated. */
final class LocationOverride implements TableOperations {

  private final TableOperations delegate;
  private final LocationProvider locations;

  LocationOverride(TableOperations delegate, LocationProvider locations) {
    this.delegate = delegate;
    this.locations = locations;
  }

  @Override
  public LocationProvider locationProvider() {
    return locations;
  }

  @Override
  public TableMetadata current() {
    return delegate.current();
  }

  @Override
  public TableMetadata refresh() {
    return delegate.refresh();
  }

  @Override
  public void commit(TableMetadata base, TableMetadata metadata) {
    delegate.commit(base, metadata);
  }

  @Override
  public FileIO io() {
    return delegate.io();
  }

  @Override
  public EncryptionManager encryption() {
    return delegate.encryption();
  }

  @Override
  public String metadataFileLocation(String fileName) {
    return delegate.metadataFileLocation(fileName);
  }

  @Override
  public long newSnapshotId() {
    return delegate.newSnapshotId();
  }
}
