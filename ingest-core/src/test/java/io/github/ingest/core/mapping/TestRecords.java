package io.github.ingest.core.mapping;

/** Source records for tests. */
final class TestRecords {

  private TestRecords() {}

  static SourceRecord of(byte[] value) {
    return new SourceRecord() {
      @Override
      public byte[] value() {
        return value;
      }

      @Override
      public byte[] key() {
        return null;
      }

      @Override
      public String topic() {
        return "balance_changes";
      }

      @Override
      public int partition() {
        return 3;
      }

      @Override
      public long offset() {
        return 1187;
      }

      @Override
      public long timestamp() {
        return 1675123199000L;
      }
    };
  }
}
