package dev.meshctl.install;

import dev.meshctl.lab.LabException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which node agents a rolling restart replaces, in order: one node, or every node one at a time.
 *
 * @param nodes the nodes whose agent is replaced, in this order
 */
record RestartPlan(List<String> nodes) {

  RestartPlan {
    nodes = List.copyOf(nodes);
  }

  /**
   * Returns the plan for {@code only} (one node) or, when empty, for every node of the lab in its order.
   *
   * @throws LabException naming the lab's nodes when {@code only} is not one of them
   */
  static RestartPlan of(List<String> labNodes, Optional<String> only) {
    Objects.requireNonNull(labNodes, "labNodes");
    Objects.requireNonNull(only, "only");
    if (only.isEmpty()) {
      return new RestartPlan(labNodes);
    }
    if (!labNodes.contains(only.get())) {
      throw new LabException("no node named \"" + only.get() + "\" in this lab: its nodes are "
          + String.join(", ", labNodes));
    }
    return new RestartPlan(List.of(only.get()));
  }

  /** What the rollout sees while a successor agent starts. */
  enum Step {
    /** Keep polling: the successor is not ready yet. */
    WAIT,
    /** The successor is ready and owns the capture rules; the old agent is handing off. */
    TOOK_OVER,
    /** The successor exited before it was ready; the old agent keeps serving. */
    SUCCESSOR_EXITED,
    /** The successor was not ready in time; stop it, the old agent keeps serving. */
    TIMED_OUT
  }

  /**
   * Decides the next step of a hand-off from what was observed.
   *
   * @param recordedOwnerPid the pid the node's owner file names, if any
   * @param successorPid the successor's pid
   * @param successorRunning whether the successor still runs
   * @param pastDeadline whether the readiness timeout passed
   */
  static Step next(Optional<Long> recordedOwnerPid, long successorPid, boolean successorRunning,
      boolean pastDeadline) {
    Objects.requireNonNull(recordedOwnerPid, "recordedOwnerPid");
    if (recordedOwnerPid.filter(pid -> pid == successorPid).isPresent()) {
      return Step.TOOK_OVER;
    }
    if (!successorRunning) {
      return Step.SUCCESSOR_EXITED;
    }
    return pastDeadline ? Step.TIMED_OUT : Step.WAIT;
  }
}
