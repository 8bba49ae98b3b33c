package dev.meshctl.workshops.model;

import java.time.Duration;
import java.util.Locale;

/** How often a check is tried: it passes as soon as one of {@code attempts} passes, {@code interval} apart. */
public record Retry(int attempts, String interval) {
  public static final Retry ONCE = new Retry(1, "1s");

  public Retry {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry.attempts must be at least 1, got " + attempts);
    }
    interval = interval == null ? "1s" : interval;
    parse(interval);
  }

  /** Returns the pause between attempts. */
  public Duration pause() {
    return parse(interval);
  }

  /** Parses {@code 500ms}, {@code 2s} or {@code 1m}. */
  public static Duration parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("bad duration \"" + text + "\": write it like 500ms, 2s or 1m");
  }
}
