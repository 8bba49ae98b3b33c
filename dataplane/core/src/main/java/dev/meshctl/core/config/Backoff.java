package dev.meshctl.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Computes reconnect delays: doubling from {@code initial} up to {@code max}, with up to 20%
 * random reduction so that many proxies do not reconnect in step.
 *
 * @param initial delay after the first failure
 * @param max cap
 */
public record Backoff(Duration initial, Duration max) {

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** Returns the delay before attempt {@code failures + 1}, given a random value in [0, 1). */
  public Duration delay(int failures, double random) {
    long base = initial.toNanos();
    long cap = max.toNanos();
    long d = base;
    for (int i = 0; i < failures && d < cap; i++) {
      d = d > cap / 2 ? cap : d * 2;
    }
    d = Math.min(d, cap);
    return Duration.ofNanos(d - (long) (d * 0.2 * random));
  }
}
