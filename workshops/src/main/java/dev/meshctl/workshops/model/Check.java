package dev.meshctl.workshops.model;

import java.util.Objects;

/**
 * A machine check: a probe, what its result must satisfy, how often to try, and a hint for when it fails.
 *
 * @param save when set, the probe's output is remembered under this name for later {@code {{name}}} templates
 */
public record Check(String name, Probe probe, Expect expect, Retry retry, String hint, String save) {

  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(probe, "probe");
    expect = expect == null ? Expect.NOTHING : expect;
    retry = retry == null ? Retry.ONCE : retry;
    hint = hint == null ? "" : hint.strip();
  }
}
