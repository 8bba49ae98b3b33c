package dev.meshctl.workshops.runner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Everything a person has done in workshops on one lab: the active workshop and each workshop's position. */
public record Progress(String active, Map<String, WorkshopProgress> workshops) {
  public static final Progress EMPTY = new Progress(null, Map.of());

  public Progress {
    workshops = workshops == null ? Map.of() : Map.copyOf(workshops);
  }

  /** Returns the position in {@code workshop}, at its first step when never started. */
  public WorkshopProgress of(String workshop) {
    return workshops.getOrDefault(workshop, WorkshopProgress.START);
  }

  /** Returns this progress with {@code workshop} active and at {@code position}. */
  public Progress with(String workshop, WorkshopProgress position) {
    Objects.requireNonNull(workshop, "workshop");
    Map<String, WorkshopProgress> copy = new LinkedHashMap<>(workshops);
    copy.put(workshop, Objects.requireNonNull(position, "position"));
    return new Progress(workshop, copy);
  }
}
