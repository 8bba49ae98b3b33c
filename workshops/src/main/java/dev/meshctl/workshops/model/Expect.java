package dev.meshctl.workshops.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a probe's result must satisfy; every field that is set must hold.
 *
 * @param exitCode the command's (or curl's) exit code
 * @param status the HTTP status (0 when no response arrived)
 * @param contains texts the output must contain
 * @param notContains texts the output must not contain
 * @param matches a regular expression found somewhere in the output
 * @param jsonEquals a value at a JSON pointer of the output
 * @param band per value of a repeated probe, how many runs may show it
 * @param count how many times a regular expression may match the output (or, for a repeat, how many samples)
 */
public record Expect(Integer exitCode, Integer status, List<String> contains, List<String> notContains,
    String matches, JsonEquals jsonEquals, Map<String, Range> band, Count count) {
  public static final Expect NOTHING = new Expect(null, null, null, null, null, null, null, null);

  public Expect {
    contains = contains == null ? List.of() : List.copyOf(contains);
    notContains = notContains == null ? List.of() : List.copyOf(notContains);
    band = band == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(band));
  }

  /** A value expected at a JSON pointer, compared as text. */
  public record JsonEquals(String pointer, String value) {
    public JsonEquals {
      java.util.Objects.requireNonNull(pointer, "pointer");
      java.util.Objects.requireNonNull(value, "value");
    }
  }

  /** An inclusive range; a missing bound is open. */
  public record Range(Integer min, Integer max) {
    /** Tells whether {@code n} lies in the range. */
    public boolean holds(int n) {
      return (min == null || n >= min) && (max == null || n <= max);
    }

    @Override
    public String toString() {
      if (min != null && max != null) {
        return min.equals(max) ? "exactly " + min : "between " + min + " and " + max;
      }
      return min != null ? "at least " + min : max != null ? "at most " + max : "any number";
    }
  }

  /** How many times {@code pattern} may match (no pattern: how many samples or lines). */
  public record Count(String pattern, Integer min, Integer max) {
    public Range range() {
      return new Range(min, max);
    }
  }
}
