package dev.meshctl.workshops.check;

import dev.meshctl.workshops.model.Expect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Counts how often each value was seen and checks the counts against bands (e.g. v2 3-20 times of 100). */
public final class Bands {
  private Bands() {}

  /** Counts the occurrences of each sample, sorted by value. */
  public static Map<String, Integer> distribution(List<String> samples) {
    Map<String, Integer> counts = new TreeMap<>();
    samples.forEach(s -> counts.merge(s, 1, Integer::sum));
    return counts;
  }

  /** Returns one message per band that the distribution misses; a value never seen counts as 0. */
  public static List<String> failures(Map<String, Expect.Range> bands, Map<String, Integer> distribution) {
    List<String> out = new ArrayList<>();
    int total = distribution.values().stream().mapToInt(Integer::intValue).sum();
    bands.forEach((value, range) -> {
      int n = distribution.getOrDefault(value, 0);
      if (!range.holds(n)) {
        out.add("expected \"" + value + "\" " + range + " times of " + total + ", got " + n + " (seen: "
            + describe(distribution) + ")");
      }
    });
    return out;
  }

  /** Renders a distribution as {@code v1=88 v2=12}. */
  public static String describe(Map<String, Integer> distribution) {
    if (distribution.isEmpty()) {
      return "nothing";
    }
    return distribution.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
