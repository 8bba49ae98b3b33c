package dev.meshctl.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.ComponentHost.Component;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Preflight.Check;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an installed mesh as {@code linkerd check} does: the control plane runs, is ready and its CA is valid; every
 * node agent runs, is ready, is connected and has acknowledged its current config. Each failure carries a hint.
 */
public final class MeshCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Cluster cluster;
  private final Installer installer;

  public MeshCheck(Cluster cluster) {
    this.cluster = cluster;
    this.installer = new Installer(cluster);
  }

  /** Runs every check. */
  public List<Check> run() {
    List<Check> checks = new ArrayList<>();
    ComponentHost host = installer.host();
    Optional<InstallState> state = installer.state();
    String cpCat = "control plane";
    if (state.isEmpty() || state.get().controlPlane() == null) {
      checks.add(new Check(cpCat, "the mesh is installed", false, "run `meshctl install`"));
      return checks;
    }
    Component cp = state.get().controlPlane();
    boolean cpRunning = host.running(cp);
    checks.add(new Check(cpCat, "control plane process is running", cpRunning,
        "the control plane is down: node agents keep serving enrolled pods with their last config and certificates,"
            + " but new pods wait for enrollment and certificates are not renewed; run `meshctl install` to start it"
            + " again (its log: " + cp.log() + ")"));
    SyncView sync = cpRunning ? SyncView.fetch(host) : new SyncView(false, "control plane down", "", java.util.Map.of());
    if (cpRunning) {
      controlPlaneHealth(checks, host, cp, sync);
    }
    nodeAgents(checks, host, state.get(), sync, cpRunning);
    return checks;
  }

  private void controlPlaneHealth(List<Check> checks, ComponentHost host, Component cp, SyncView sync) {
    String cpCat = "control plane";
    ComponentHost.ExecResult ready = host.exec(ComponentHost.CONTROL_PLANE, List.of("curl", "-sf", "--max-time", "3",
        "http://127.0.0.1:" + Installer.DEBUG_PORT + "/ready"));
    checks.add(new Check(cpCat, "control plane is ready", ready.ok(),
        "control plane at " + host.controlPlaneIp() + ":" + Installer.GRPC_PORT + " not ready: see " + cp.log()));
    ComponentHost.ExecResult caJson = host.exec(ComponentHost.CONTROL_PLANE, List.of("curl", "-sf", "--max-time",
        "3", "http://127.0.0.1:" + Installer.DEBUG_PORT + "/debug/ca"));
    String caProblem = "CA status unreachable";
    boolean caOk = false;
    if (caJson.ok()) {
      try {
        JsonNode ca = JSON.readTree(caJson.stdout());
        caOk = ca.path("valid").asBoolean(false);
        caProblem = "root certificate " + ca.path("rootSubject").asText() + " is not valid now (not after "
            + ca.path("notAfter").asText() + "): reinstall with a valid --ca-cert/--ca-key";
      } catch (IOException e) {
        caProblem = "unreadable CA status: " + e.getMessage();
      }
    }
    checks.add(new Check(cpCat, "CA root certificate is valid", caOk, caProblem));
    checks.add(new Check(cpCat, "configuration translates without errors",
        sync.reachable() && sync.lastError().isEmpty(),
        sync.reachable() ? "last translation failed: " + sync.lastError() + " — fix or delete the object" : sync.error()));
  }

  private void nodeAgents(List<Check> checks, ComponentHost host, InstallState state, SyncView sync,
      boolean cpRunning) {
    String agentCat = "node agents";
    for (NodeInfo node : cluster.nodes()) {
      Component agent = state.agents().get(node.name());
      if (agent == null) {
        checks.add(new Check(agentCat, "node agent on " + node.name() + " is installed", false,
            "run `meshctl install`"));
        continue;
      }
      boolean running = host.running(agent);
      checks.add(new Check(agentCat, "node agent on " + node.name() + " is running", running,
          "it exited: see " + agent.log() + ", then run `meshctl install` to restart it"));
      ComponentHost.ExecResult r = host.exec(node.name(), List.of("curl", "-s", "--max-time", "3", "-w",
          "\n%{http_code}", "http://127.0.0.1:" + Installer.AGENT_READY_PORT + "/healthz/ready"));
      boolean agentReady = r.ok() && r.stdout().strip().endsWith("200");
      checks.add(new Check(agentCat, "node agent on " + node.name() + " is ready", agentReady,
          "node agent on " + node.name() + " not ready: " + (r.stdout().isBlank() ? "no answer on 127.0.0.1:"
              + Installer.AGENT_READY_PORT : r.stdout().strip()) + " — see " + agent.log()));
      String syncState = sync.state(node.name()).orElse("NOT CONNECTED");
      checks.add(new Check(agentCat, "node agent on " + node.name() + " is connected and in sync",
          "SYNCED".equals(syncState), cpRunning ? "state " + syncState + ": control plane at "
              + host.controlPlaneIp() + ":" + Installer.GRPC_PORT + " — see " + agent.log()
              : "the control plane is down: the agent serves its last config and reconnects (capped backoff) once"
              + " it is back"));
    }
  }
}
