package dev.meshctl.controlplane.translate;

import com.google.protobuf.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Gateway API durations (GEP-2257): {@code 1h}, {@code 30s}, {@code 500ms}, {@code 1m30s}. */
final class Durations {
  private static final Pattern WHOLE = Pattern.compile("([0-9]{1,5}(h|ms|m|s)){1,4}");
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

  private Durations() {}

  /** Returns the duration, or empty when the text is not a Gateway API duration. */
  static Optional<Duration> parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    long millis = 0;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      millis += switch (m.group(2)) {
        case "h" -> n * 3_600_000L;
        case "m" -> n * 60_000L;
        case "s" -> n * 1_000L;
        default -> n;
      };
    }
    return Optional.of(Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build());
  }
}
