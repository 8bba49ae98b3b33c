package dev.meshctl.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void doublesUpToTheCap() {
    assertThat(backoff.delay(0, 0)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(1, 0)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.delay(4, 0)).isEqualTo(Duration.ofMillis(1600));
    assertThat(backoff.delay(5, 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(1000, 0)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterOnlyShortensByAFifth() {
    assertThat(backoff.delay(5, 0.999)).isBetween(Duration.ofMillis(1600), Duration.ofSeconds(2));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
