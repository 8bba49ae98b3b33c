package dev.meshctl.workshops.runner;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A position in one workshop: the current step (0-based), the ids of verified steps, and the values that checks
 * saved for later steps.
 */
public record WorkshopProgress(int step, List<String> passed, Map<String, String> saved) {
  public static final WorkshopProgress START = new WorkshopProgress(0, List.of(), Map.of());

  public WorkshopProgress {
    if (step < 0) {
      throw new IllegalArgumentException("step must not be negative, got " + step);
    }
    passed = passed == null ? List.of() : List.copyOf(new LinkedHashSet<>(passed));
    saved = saved == null ? Map.of() : Map.copyOf(saved);
  }

  /** Tells whether step {@code id} has been verified. */
  public boolean hasPassed(String id) {
    return passed.contains(id);
  }

  /** Records that step {@code id} passed and what its checks saved. */
  public WorkshopProgress pass(String id, Map<String, String> newlySaved) {
    var ids = new java.util.ArrayList<>(passed);
    ids.add(id);
    Map<String, String> all = new LinkedHashMap<>(saved);
    all.putAll(newlySaved);
    return new WorkshopProgress(step, ids, all);
  }

  /** Moves to step {@code index}. */
  public WorkshopProgress at(int index) {
    return new WorkshopProgress(index, passed, saved);
  }
}
