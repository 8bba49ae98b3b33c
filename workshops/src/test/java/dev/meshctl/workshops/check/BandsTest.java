package dev.meshctl.workshops.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.workshops.model.Expect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BandsTest {
  @Test
  void countsEachValueSorted() {
    assertThat(Bands.distribution(List.of("v2", "v1", "v1", "v3")))
        .containsExactly(Map.entry("v1", 2), Map.entry("v2", 1), Map.entry("v3", 1));
    assertThat(Bands.describe(Map.of())).isEqualTo("nothing");
  }

  @Test
  void rangesAreInclusive() {
    Expect.Range r = new Expect.Range(3, 20);
    assertThat(r.holds(3)).isTrue();
    assertThat(r.holds(20)).isTrue();
    assertThat(r.holds(2)).isFalse();
    assertThat(r.holds(21)).isFalse();
    assertThat(new Expect.Range(0, 0).toString()).isEqualTo("exactly 0");
  }

  @Test
  void reportsEveryBandMissed() {
    var failures = Bands.failures(Map.of("v1", new Expect.Range(90, null), "v3", new Expect.Range(null, 0)),
        Map.of("v1", 80, "v3", 20));
    assertThat(failures).hasSize(2);
    assertThat(failures).anySatisfy(f -> assertThat(f).startsWith("expected \"v3\" at most 0 times of 100, got 20"));
  }
}
