package io.github.ingest.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ingest.core.mapping.MappingFixtures;
import org.junit.jupiter.api.Test;

class BalanceChangesTest {

  /** The mapper's tests in ingest-core run on the fixture; the job ships this file. */
  @Test
  void theBuiltInMappingFileIsTheTableOfTheContract() {
    assertThat(BalanceChanges.mapping()).isEqualTo(MappingFixtures.balanceChanges());
  }
}
