package dev.meshctl.controlplane.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds the results for one mesh size.
 *
 * @param initialSyncMs from the first agent connecting to every agent ACKing the full config
 * @param kinds one report per change kind, then {@code all}
 */
record SizeReport(int workloads, int services, int policies, int agents, double initialSyncMs,
    List<KindReport> kinds) {

  /** Summarizes the measured samples of one run. */
  static SizeReport of(PropagationRun run, int agents, int workloads, List<ChangeSample> samples) {
    List<KindReport> kinds = new ArrayList<>();
    for (ChangeSample.Kind kind : ChangeSample.Kind.values()) {
      kinds.add(KindReport.of(kind.description, samples.stream().filter(s -> s.kind() == kind).toList()));
    }
    kinds.add(KindReport.of("all", samples));
    return new SizeReport(workloads, run.mesh().services(), run.mesh().policies(), agents,
        Distribution.round(run.syncNanos() / 1e6), List.copyOf(kinds));
  }
}
