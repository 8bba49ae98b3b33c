package dev.meshctl.install;

import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.ComponentHost.Component;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Progress;
import dev.meshctl.nodeagent.NodeAgentOptions;
import dev.meshctl.nodeagent.capture.OwnerFile;
import dev.meshctl.nodeagent.capture.RuleOwner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Replaces node agents without dropping traffic, one node at a time: starts a successor next to the running agent,
 * waits until it is ready and has taken over the capture rules (it then tells the old agent to hand off), and only
 * then moves to the next node. The old agent drains its established connections in the background.
 */
final class AgentRollout {
  private final Installer installer;
  private final ComponentHost host;
  private final MeshLayout layout;

  AgentRollout(Installer installer, ComponentHost host, MeshLayout layout) {
    this.installer = installer;
    this.host = host;
    this.layout = layout;
  }

  /** Restarts the agents {@code plan} names, in order; stops at the first node that fails (its old agent stays). */
  void run(RestartPlan plan, List<NodeInfo> nodes, Duration timeout, Consumer<String> report, Progress progress) {
    for (String name : plan.nodes()) {
      NodeInfo node = nodes.stream().filter(n -> n.name().equals(name)).findFirst()
          .orElseThrow(() -> new LabException("BUG: node " + name + " vanished from the plan's lab"));
      restart(node, timeout, report, progress);
    }
  }

  private void restart(NodeInfo node, Duration timeout, Consumer<String> report, Progress progress) {
    InstallState state = installer.state().orElseThrow(() -> new LabException(
        "the mesh is not installed: run `meshctl install`"));
    Component old = state.agents().get(node.name());
    boolean oldRunning = old != null && host.running(old);
    progress.step((oldRunning ? "starting a successor for the node agent on " : "starting the node agent on ")
        + node.name());
    Component next = host.start(node.name(), "node-agent-" + node.name(),
        installer.agentArgs(node, state.trustDomain(), state.workloadCertTtl(), oldRunning), Installer.AGENT_JVM);
    long started = System.nanoTime();
    OwnerFile owner = new OwnerFile(layout.agentRuntimeDir(node.name()));
    long deadline = started + timeout.toNanos();
    while (true) {
      RestartPlan.Step step = RestartPlan.next(owner.read().map(RuleOwner::pid), next.pid(), host.running(next),
          System.nanoTime() > deadline);
      if (step == RestartPlan.Step.TOOK_OVER) {
        break;
      }
      if (step == RestartPlan.Step.SUCCESSOR_EXITED) {
        throw new LabException("the new node agent on " + node.name() + " exited before it was ready: see "
            + next.log() + (oldRunning ? "; the running agent (pid " + old.pid() + ") keeps serving" : ""));
      }
      if (step == RestartPlan.Step.TIMED_OUT) {
        // It never owned the rules, so stopping it leaves them to the running agent.
        host.stop(next, Duration.ofSeconds(10));
        throw new LabException("the new node agent on " + node.name() + " was not ready after "
            + timeout.toSeconds() + "s: see " + next.log() + (oldRunning ? "; the running agent (pid " + old.pid()
            + ") keeps serving" : ""));
      }
      Installer.sleep(50);
    }
    Duration handOver = Duration.ofNanos(System.nanoTime() - started);
    installer.recordAgent(node.name(), next);
    installer.awaitAgentReady(node, next, timeout);
    if (oldRunning) {
      report.accept("✔ node agent on " + node.name() + " restarted: pid " + next.pid() + " ready and serving after "
          + handOver.toMillis() + " ms; pid " + old.pid() + " handed off and drains its open connections for up to "
          + NodeAgentOptions.format(NodeAgentOptions.DEFAULT_DRAIN_TIMEOUT));
    } else {
      report.accept("✔ node agent on " + node.name() + " started (pid " + next.pid()
          + "): none was running");
    }
  }

  /** Returns the pid of the agent that owns the node's capture rules now, if any. */
  Optional<Long> owner(String node) {
    return new OwnerFile(layout.agentRuntimeDir(node)).read().map(RuleOwner::pid);
  }
}
