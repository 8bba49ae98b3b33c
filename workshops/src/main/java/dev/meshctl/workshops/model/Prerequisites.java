package dev.meshctl.workshops.model;

import java.util.List;

/**
 * What a workshop needs before its first step: a lab of {@code nodes} nodes, the mesh installed when {@code mesh}
 * is true, then the {@code setup} commands (e.g. deploy the sample the workshop builds on), all run by
 * {@code workshop start} and {@code workshop run}.
 */
public record Prerequisites(int nodes, boolean mesh, List<String> setup) {
  public static final Prerequisites NONE = new Prerequisites(3, false, List.of());

  public Prerequisites {
    if (nodes < 1) {
      throw new IllegalArgumentException("prerequisites.nodes must be at least 1, got " + nodes);
    }
    setup = setup == null ? List.of() : List.copyOf(setup);
  }

  /** Describes the prerequisites in one line for listings. */
  public String describe() {
    return "a lab with " + nodes + " node" + (nodes == 1 ? "" : "s") + (mesh ? ", the mesh installed" : "")
        + (setup.isEmpty() ? "" : ", " + setup.size() + " setup command" + (setup.size() == 1 ? "" : "s"));
  }
}
