package dev.meshctl.install;

import dev.meshctl.controlplane.ca.MeshCa;
import dev.meshctl.controlplane.ca.NodeCredentials;
import dev.meshctl.controlplane.server.ControlPlaneOptions;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.ComponentHost.Component;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Progress;
import dev.meshctl.nodeagent.NodeAgentOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Installs the mesh on a lab that runs components itself (netns): the CA and its root bundle, one bootstrap token per
 * node, the control plane in its own namespace, one node agent per node. Idempotent: what runs keeps running, and what
 * is missing (a stopped control plane, a crashed agent) is started again. Also restarts components: node agents by a
 * rolling hand-off that keeps traffic flowing, the control plane by stop and start (agents keep serving meanwhile).
 */
public final class Installer {
  static final int DEBUG_PORT = ControlPlaneOptions.DEBUG_PORT;
  static final int GRPC_PORT = ControlPlaneOptions.GRPC_PORT;
  static final int AGENT_READY_PORT = 15021;
  static final List<String> CONTROL_PLANE_JVM = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m");
  // IPv4 sockets: TPROXY --on-ip 127.0.0.1 looks up IPv4 listeners, and the lab is IPv4-only
  // Footprint: a capped code cache and metaspace, two JIT threads, smaller stacks and a heap handed back to the OS
  // once garbage is gone (in-process benchmark: about 11% less RSS, same CPU per request)
  static final List<String> AGENT_JVM = List.of("-Djava.net.preferIPv4Stack=true", "-XX:+UseSerialGC", "-Xms24m", "-Xmx128m",
      "-XX:MaxDirectMemorySize=64m", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=96m",
      "-XX:CICompilerCount=2", "-Xss512k", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
      "-XX:+IgnoreUnrecognizedVMOptions", "-Xshare:auto");
  private final Cluster cluster;
  private final ComponentHost host;
  private final MeshLayout layout;

  public Installer(Cluster cluster) {
    this.cluster = cluster;
    this.host = cluster.components().orElseThrow(() -> new LabException("lab " + cluster.name() + " ("
        + cluster.provider() + ") installs the mesh from manifests: use `meshctl install --context ...`"));
    this.layout = MeshLayout.of(host.stateDir());
  }

  /** Installs (or completes an installation) and reports one line per component. */
  public void install(InstallOptions options, Consumer<String> report, Progress progress) {
    InstallState state = InstallState.read(layout.installState())
        .orElse(new InstallState(null, Map.of(), options.trustDomain(), null));
    boolean ttlChanged = options.workloadCertTtl().isPresent()
        && !options.workloadCertTtl().equals(state.workloadCertTtl());
    if (ttlChanged) {
      state = state.withWorkloadCertTtl(options.workloadCertTtl());
      state.write(layout.installState());
    }
    if (!state.trustDomain().equals(options.trustDomain())) {
      throw new LabException("the mesh is installed with trust domain " + state.trustDomain()
          + ": run `meshctl uninstall` first to change it");
    }
    progress.step("preparing the CA and bootstrap credentials");
    Optional<ControlPlaneOptions.PluginCa> plugin = pluginCa(options);
    MeshCa ca = controlPlaneOptions(options, plugin).loadCa(Clock.systemUTC());
    writePublic(layout.rootCert(), Pem.encodeCertificates(ca.trustBundle()));
    NodeCredentials credentials = NodeCredentials.open(layout.nodeTokens());
    for (NodeInfo node : cluster.nodes()) {
      Path token = layout.tokenFile(node.name());
      if (!Files.exists(token) || credentials.authenticate(read(token)).isEmpty()) {
        writePrivate(token, credentials.issue(node.name()));
      }
    }
    report.accept("✔ CA ready (trust domain " + options.trustDomain() + ", root "
        + ca.root().getSubjectX500Principal().getName() + (plugin.isPresent() ? ", plug-in" : "") + ")");

    host.prepareControlPlane();
    Component cp = state.controlPlane();
    boolean cpWasDown = cp != null && !host.running(cp);
    if (cp == null || !host.running(cp)) {
      progress.step("starting the control plane at " + host.controlPlaneIp() + ":" + GRPC_PORT);
      cp = host.start(ComponentHost.CONTROL_PLANE, "control-plane", controlPlaneArgs(options, plugin),
          CONTROL_PLANE_JVM);
      state = state.withControlPlane(cp);
      state.write(layout.installState());
    }
    awaitReady(ComponentHost.CONTROL_PLANE, "http://127.0.0.1:" + DEBUG_PORT + "/ready", cp, options.timeout(),
        "control plane");
    report.accept("✔ control plane ready (" + host.controlPlaneIp() + ":" + GRPC_PORT + ", pid " + cp.pid() + ")"
        + (cpWasDown ? ": it was not running, so install started it again" : ""));

    List<String> wereDown = new ArrayList<>();
    List<String> wereRunning = new ArrayList<>();
    for (NodeInfo node : cluster.nodes()) {
      Component agent = state.agents().get(node.name());
      if (agent == null || !host.running(agent)) {
        if (agent != null) {
          wereDown.add(node.name());
        }
        progress.step("starting the node agent on " + node.name());
        agent = host.start(node.name(), "node-agent-" + node.name(),
            agentArgs(node, state.trustDomain(), state.workloadCertTtl(), false), AGENT_JVM);
        state = state.withAgent(node.name(), agent);
        state.write(layout.installState());
      } else {
        wereRunning.add(node.name());
      }
    }
    for (NodeInfo node : cluster.nodes()) {
      Component agent = state.agents().get(node.name());
      awaitAgentReady(node, agent, options.timeout());
      report.accept("✔ node agent on " + node.name() + " ready (pid " + agent.pid() + ")"
          + (wereDown.contains(node.name()) ? ": it was not running, so install started it again" : ""));
    }
    if (ttlChanged && !wereRunning.isEmpty()) {
      report.accept("workload certificate TTL is now " + NodeAgentOptions.format(options.workloadCertTtl().get())
          + ": restarting the running node agents one at a time to apply it (traffic keeps flowing)");
      new AgentRollout(this, host, layout).run(new RestartPlan(wereRunning), cluster.nodes(), options.timeout(),
          report, progress);
    }
    if (options.waitSynced()) {
      progress.step("waiting for every node agent to acknowledge its config");
      awaitSynced(options.timeout());
    }
    report.accept("installation complete");
  }

  /**
   * Restarts the node agent of {@code node}, or of every node one at a time, each by a hand-off: the successor starts
   * next to the running agent and takes over once ready; the old one drains its established connections.
   */
  public void restartNodeAgents(Optional<String> node, Duration timeout, Consumer<String> report, Progress progress) {
    requireInstalled();
    RestartPlan plan = RestartPlan.of(cluster.nodes().stream().map(NodeInfo::name).toList(), node);
    new AgentRollout(this, host, layout).run(plan, cluster.nodes(), timeout, report, progress);
  }

  /**
   * Stops the control plane (an outage drill): node agents keep serving with their last config and certificates.
   * Returns what happened, with how to bring it back.
   */
  public List<String> stopControlPlane(Progress progress) {
    InstallState state = requireInstalled();
    Component cp = state.controlPlane();
    List<String> lines = new ArrayList<>();
    if (cp == null || !host.running(cp)) {
      lines.add("control plane is not running");
    } else {
      progress.step("stopping the control plane (pid " + cp.pid() + ")");
      host.stop(cp, Duration.ofSeconds(5));
      lines.add("✔ control plane stopped (pid " + cp.pid() + ")");
    }
    lines.add("node agents keep serving enrolled pods with their last config and certificates; new pods are not"
        + " enrolled and certificates are not renewed until it is back");
    lines.add("bring it back with `meshctl install` (starts what is missing) or `meshctl restart control-plane`");
    return lines;
  }

  /** Stops and starts the control plane, then waits until every node agent has reconnected and resynced. */
  public void restartControlPlane(Duration timeout, Consumer<String> report, Progress progress) {
    InstallState state = requireInstalled();
    Component old = state.controlPlane();
    if (old != null && host.running(old)) {
      progress.step("stopping the control plane (pid " + old.pid() + ")");
      host.stop(old, Duration.ofSeconds(5));
    }
    progress.step("starting the control plane at " + host.controlPlaneIp() + ":" + GRPC_PORT);
    InstallOptions options = new InstallOptions(state.trustDomain(), Optional.empty(), Optional.empty(),
        Optional.empty(), timeout, false);
    Optional<ControlPlaneOptions.PluginCa> plugin = pluginCa(options);
    Component cp = host.start(ComponentHost.CONTROL_PLANE, "control-plane", controlPlaneArgs(options, plugin),
        CONTROL_PLANE_JVM);
    state.withControlPlane(cp).write(layout.installState());
    long started = System.nanoTime();
    awaitReady(ComponentHost.CONTROL_PLANE, "http://127.0.0.1:" + DEBUG_PORT + "/ready", cp, timeout,
        "control plane");
    report.accept("✔ control plane restarted (pid " + cp.pid() + ")");
    progress.step("waiting for the node agents to reconnect and resync");
    awaitSynced(timeout);
    report.accept("✔ every node agent reconnected and acknowledged its config within "
        + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
  }

  private InstallState requireInstalled() {
    return state().filter(s -> s.controlPlane() != null)
        .orElseThrow(() -> new LabException("the mesh is not installed on this lab: run `meshctl install`"));
  }

  void recordAgent(String node, Component agent) {
    InstallState state = state().orElseThrow();
    state.withAgent(node, agent).write(layout.installState());
  }

  void awaitAgentReady(NodeInfo node, Component agent, Duration timeout) {
    awaitReady(node.name(), "http://127.0.0.1:" + AGENT_READY_PORT + "/healthz/ready", agent, timeout,
        "node agent on " + node.name());
  }

  /** Stops every component, removes the mesh's rules and files; workloads keep running. */
  public List<String> uninstall(Progress progress) {
    List<String> lines = new ArrayList<>();
    Optional<InstallState> state = InstallState.read(layout.installState());
    for (NodeInfo node : cluster.nodes()) {
      Component agent = state.map(s -> s.agents().get(node.name())).orElse(null);
      if (agent != null && host.running(agent)) {
        progress.step("stopping the node agent on " + node.name());
        host.stop(agent, Duration.ofSeconds(10));
      }
      // a crashed agent leaves its rules behind: remove them by name in any case
      ComponentHost.ExecResult cleanup = host.exec(node.name(), cleanupCommand());
      if (!cleanup.ok()) {
        throw new LabException("could not remove the mesh's rules on " + node.name() + ": " + cleanup.stderr().strip());
      }
      lines.add("✔ node agent on " + node.name() + " removed");
    }
    state.map(InstallState::controlPlane).ifPresent(cp -> host.stop(cp, Duration.ofSeconds(5)));
    host.removeControlPlane();
    lines.add("✔ control plane removed");
    deleteRecursively(layout.root());
    lines.add("uninstall complete");
    return lines;
  }

  /** Tells whether the mesh has been installed on this lab. */
  public boolean installed() {
    return Files.exists(layout.installState());
  }

  Optional<InstallState> state() {
    return InstallState.read(layout.installState());
  }

  ComponentHost host() {
    return host;
  }

  private List<String> cleanupCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
        dev.meshctl.lab.workload.Launch.classpath(), "dev.meshctl.cli.Main", "component", "node-agent-cleanup"));
    return cmd;
  }

  private ControlPlaneOptions controlPlaneOptions(InstallOptions options,
      Optional<ControlPlaneOptions.PluginCa> plugin) {
    return new ControlPlaneOptions(layout.controlPlaneDir(), host.storeDir(),
        new InetSocketAddress(host.controlPlaneIp(), GRPC_PORT), new InetSocketAddress("127.0.0.1", DEBUG_PORT),
        options.trustDomain(), List.of(host.controlPlaneIp()),
        cluster.nodes().stream().map(NodeInfo::name).toList(), plugin);
  }

  private List<String> controlPlaneArgs(InstallOptions options, Optional<ControlPlaneOptions.PluginCa> plugin) {
    List<String> args = new ArrayList<>(List.of("control-plane",
        "--state-dir", layout.controlPlaneDir().toString(),
        "--store", host.storeDir().toString(),
        "--listen", host.controlPlaneIp() + ":" + GRPC_PORT,
        "--debug", "127.0.0.1:" + DEBUG_PORT,
        "--trust-domain", options.trustDomain(),
        "--server-name", host.controlPlaneIp()));
    for (NodeInfo n : cluster.nodes()) {
      args.addAll(List.of("--node", n.name()));
    }
    plugin.ifPresent(p -> {
      args.addAll(List.of("--ca-cert", p.cert().toString(), "--ca-key", p.key().toString()));
      p.chain().ifPresent(c -> args.addAll(List.of("--ca-chain", c.toString())));
    });
    return args;
  }

  /** Returns the node agent's arguments; {@code takeOver} starts it as the successor of the running agent. */
  List<String> agentArgs(NodeInfo node, String trustDomain, Optional<Duration> certTtl, boolean takeOver) {
    List<String> args = new ArrayList<>(List.of("node-agent",
        "--node-name", node.name(),
        "--node-ip", node.ip(),
        "--control-plane", host.controlPlaneIp() + ":" + GRPC_PORT,
        "--token-file", layout.tokenFile(node.name()).toString(),
        "--root-cert", layout.rootCert().toString(),
        "--trust-domain", trustDomain,
        "--runtime-dir", layout.agentRuntimeDir(node.name()).toString(),
        "--take-over", Boolean.toString(takeOver)));
    certTtl.ifPresent(ttl -> args.addAll(List.of("--workload-cert-ttl", NodeAgentOptions.format(ttl))));
    return args;
  }

  private Optional<ControlPlaneOptions.PluginCa> pluginCa(InstallOptions options) {
    if (options.caCert().isEmpty() && options.caKey().isEmpty()) {
      Path dir = layout.pluginDir();
      if (Files.exists(dir.resolve("ca-cert.pem"))) {
        return Optional.of(new ControlPlaneOptions.PluginCa(dir.resolve("ca-cert.pem"), dir.resolve("ca-key.pem"),
            Files.exists(dir.resolve("cert-chain.pem")) ? Optional.of(dir.resolve("cert-chain.pem"))
                : Optional.empty()));
      }
      return Optional.empty();
    }
    if (options.caCert().isEmpty() || options.caKey().isEmpty()) {
      throw new LabException("a plug-in CA needs both --ca-cert and --ca-key (and --ca-chain for an intermediate)");
    }
    try {
      Path dir = layout.pluginDir();
      Files.createDirectories(dir);
      Files.copy(options.caCert().get(), dir.resolve("ca-cert.pem"), StandardCopyOption.REPLACE_EXISTING);
      writePrivate(dir.resolve("ca-key.pem"), Files.readString(options.caKey().get()));
      Optional<Path> chain = Optional.empty();
      if (options.caChain().isPresent()) {
        Files.copy(options.caChain().get(), dir.resolve("cert-chain.pem"), StandardCopyOption.REPLACE_EXISTING);
        chain = Optional.of(dir.resolve("cert-chain.pem"));
      }
      return Optional.of(new ControlPlaneOptions.PluginCa(dir.resolve("ca-cert.pem"), dir.resolve("ca-key.pem"),
          chain));
    } catch (IOException e) {
      throw new LabException("cannot read the plug-in CA files: " + e.getMessage(), e);
    }
  }

  private void awaitReady(String place, String url, Component component, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!host.running(component)) {
        throw new LabException(what + " exited during start-up: see " + component.log());
      }
      ComponentHost.ExecResult r = host.exec(place, List.of("curl", "-s", "--max-time", "2", "-o", "/dev/stdout",
          "-w", "%{http_code}", url));
      if (r.ok() && r.stdout().endsWith("200")) {
        return;
      }
      last = r.stdout().isBlank() ? r.stderr().strip() : r.stdout().strip();
      sleep(100);
    }
    throw new LabException(what + " not ready after " + timeout.toSeconds() + "s (" + last + "): see "
        + component.log());
  }

  private void awaitSynced(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      SyncView view = SyncView.fetch(host);
      if (view.allSynced(cluster.nodes().stream().map(NodeInfo::name).toList())) {
        return;
      }
      sleep(100);
    }
    throw new LabException("node agents did not acknowledge their config within " + timeout.toSeconds()
        + "s: `meshctl check` shows which");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted");
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static void writePublic(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writePrivate(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new LabException("cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
