package dev.meshctl.controlplane.bench;

import java.util.Arrays;

/**
 * Summarizes samples in milliseconds (nearest-rank percentiles).
 *
 * @param count number of samples
 */
record Distribution(int count, double p50, double p90, double p99, double max, double mean) {

  /** Summarizes nanosecond samples as milliseconds. */
  static Distribution ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no samples: measure at least one change");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new Distribution(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.90)), ms(rank(sorted, 0.99)),
        ms(sorted[sorted.length - 1]), round(sum / sorted.length / 1e6));
  }

  private static long rank(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return round(nanos / 1e6);
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** Formats as {@code p50/p90/p99/max}. */
  String brief() {
    return String.format("%7.2f %7.2f %7.2f %7.2f", p50, p90, p99, max);
  }
}
