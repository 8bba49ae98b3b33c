package dev.meshctl.lab;

import java.util.Objects;

/** Describes the lab to bring up. */
public record LabSpec(String name, int nodes, String provider) {
  public static final String DEFAULT_NAME = "default";
  public static final int DEFAULT_NODES = 3;
  public static final int MAX_NODES = 16;

  public LabSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    LabNames.check(name);
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new LabException("--nodes must be between 1 and " + MAX_NODES + ", got " + nodes);
    }
  }
}
