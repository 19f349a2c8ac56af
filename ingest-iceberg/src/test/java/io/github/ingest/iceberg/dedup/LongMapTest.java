package io.github.ingest.iceberg.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongMapTest {

  @Test
  void holdsWhatAHashMapHoldsThroughGrowth() {
    LongMap map = new LongMap(2);
    Map<Long, long[]> expected = new HashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      // a narrow range too, so that keys repeat and are replaced
      long key = i % 3 == 0 ? random.nextInt(1000) : random.nextLong();
      long first = random.nextLong();
      long second = random.nextLong();
      map.put(key, first, second);
      expected.put(key, new long[] {first, second});
    }
    assertThat(map.size()).isEqualTo(expected.size());
    expected.forEach(
        (key, values) -> {
          int slot = map.find(key);
          assertThat(slot).as("slot of %s", key).isNotNegative();
          assertThat(map.first(slot)).isEqualTo(values[0]);
          assertThat(map.second(slot)).isEqualTo(values[1]);
        });
    assertThat(map.find(Long.MIN_VALUE + 12345)).isEqualTo(-1);
    // at most three quarters used: 16 bytes of arrays a slot of a two-value map, 24
    assertThat(map.bytes()).isLessThanOrEqualTo(24L * 4 * expected.size() / 3 * 2);
  }

  @Test
  void aProbeThenAnInsertTakeOneLookUp() {
    LongMap map = new LongMap(2);
    map.reserve(1000);
    long before = map.bytes();
    for (long key = -500; key < 500; key++) {
      int probed = map.probe(key);
      assertThat(probed).isNegative();
      map.insert(probed, key, key * 2, key * 3);
    }
    assertThat(map.bytes()).as("reserved: nothing grew").isEqualTo(before);
    assertThat(map.bytes()).isEqualTo(LongMap.bytesFor(1000, 2));
    for (long key = -500; key < 500; key++) {
      int slot = map.probe(key);
      assertThat(slot).isNotNegative();
      assertThat(map.first(slot)).isEqualTo(key * 2);
      assertThat(map.second(slot)).isEqualTo(key * 3);
    }
    assertThat(map.size()).isEqualTo(1000);
  }

  @Test
  void keyZeroIsAKeyToo() {
    LongMap map = new LongMap(1);
    assertThat(map.find(0)).isEqualTo(-1);
    map.put(0, 42, 0);
    assertThat(map.first(map.find(0))).isEqualTo(42);
    assertThat(map.size()).isEqualTo(1);
    assertThat(map.find(1)).as("the key 1 is another key").isEqualTo(-1);
  }

  @Test
  void aKeyHasOneOrTwoValues() {
    assertThatThrownBy(() -> new LongMap(3)).hasMessage("A key has one or two values, not 3");
  }
}
