package dev.meshctl.controlplane.translate;

import dev.meshctl.controlplane.model.WaypointBinding;
import dev.meshctl.controlplane.push.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Holds the result of one translation.
 *
 * @param snapshots proxy key ({@link ProxyKeys}) -> snapshot, sorted by key
 * @param warnings what was skipped or could not be enforced as written, for operators
 * @param bindings every waypoint binding with whether it is ready and why (for {@code meshctl waypoint status})
 */
public record Translation(Map<String, Snapshot> snapshots, List<String> warnings, List<WaypointBinding> bindings) {
  public Translation {
    Objects.requireNonNull(snapshots, "snapshots");
    warnings = List.copyOf(warnings);
    bindings = List.copyOf(bindings);
  }
}
