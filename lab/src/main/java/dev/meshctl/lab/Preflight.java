package dev.meshctl.lab;

import java.util.List;

/** Holds pre-flight checks: what a provider needs on this machine, each with a hint when it is missing. */
public final class Preflight {
  private Preflight() {}

  /** Reports one requirement. */
  public record Check(String category, String description, boolean ok, String hint) {}

  /** Throws a {@link LabException} listing every failed check, or returns quietly. */
  public static void requireAll(List<Check> checks) {
    StringBuilder failed = new StringBuilder();
    for (Check c : checks) {
      if (!c.ok()) {
        failed.append("\n  × ").append(c.description()).append("\n    see: ").append(c.hint());
      }
    }
    if (failed.length() > 0) {
      throw new LabException("pre-flight checks failed (run `meshctl check --pre`):" + failed);
    }
  }
}
