package io.github.ingest.iceberg.sink;

import io.github.ingest.iceberg.batch.ForwardingTableOperations;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.io.LocationProvider;

/** The operations of a table with another location provider; everything else is delegated. */
final class LocationOverride extends ForwardingTableOperations {

  private final LocationProvider locations;

  LocationOverride(TableOperations delegate, LocationProvider locations) {
    super(delegate);
    this.locations = locations;
  }

  @Override
  public LocationProvider locationProvider() {
    return locations;
  }
}
