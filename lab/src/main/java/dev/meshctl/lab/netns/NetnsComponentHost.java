package dev.meshctl.lab.netns;

import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.workload.Launch;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs mesh components as processes in the lab's namespaces: the control plane in its own, agents in their node's. */
final class NetnsComponentHost implements ComponentHost {
  private static final String CP_PORT = "ncp";
  private final NetnsNames names;
  private final CommandRunner run;
  private final PodRuntime runtime;
  private final Path stateDir;
  private final Supplier<List<NodeInfo>> nodes;
  private final Path cacheDir;

  NetnsComponentHost(NetnsNames names, CommandRunner run, PodRuntime runtime, Path stateDir,
      Supplier<List<NodeInfo>> nodes, Path cacheDir) {
    this.cacheDir = cacheDir;
    this.names = names;
    this.run = run;
    this.runtime = runtime;
    this.stateDir = stateDir;
    this.nodes = nodes;
  }

  @Override
  public String controlPlaneIp() {
    return AddressPlan.CONTROL_PLANE_IP;
  }

  @Override
  public Path stateDir() {
    return stateDir;
  }

  @Override
  public Path storeDir() {
    return stateDir.resolve("store");
  }

  @Override
  public void prepareControlPlane() {
    String ns = names.controlPlane();
    if (Files.exists(Path.of("/run/netns", ns))) {
      routeToPods(ns);
      return;
    }
    run.check(List.of("ip", "netns", "add", ns));
    try {
      run.check(List.of("ip", "-n", names.network(), "link", "add", CP_PORT, "type", "veth", "peer", "name",
          NetnsNames.NODE_IFACE, "netns", ns));
      run.check(List.of("ip", "-n", names.network(), "link", "set", CP_PORT, "master", NetnsNames.BRIDGE, "up"));
      run.check(List.of("ip", "-n", ns, "addr", "add",
          AddressPlan.CONTROL_PLANE_IP + "/" + AddressPlan.NODE_PREFIX_LENGTH, "dev", NetnsNames.NODE_IFACE));
      run.check(List.of("ip", "-n", ns, "link", "set", NetnsNames.NODE_IFACE, "up"));
      run.check(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
      routeToPods(ns);
    } catch (RuntimeException e) {
      runtime.deleteNamespace(ns);
      throw e;
    }
  }

  /** Routes each node's pod CIDR via that node: pods (waypoints) call the control plane and expect answers. */
  private void routeToPods(String ns) {
    for (NodeInfo node : nodes.get()) {
      run.check(List.of("ip", "-n", ns, "route", "replace", node.podCidr(), "via", node.ip()));
    }
  }

  @Override
  public void removeControlPlane() {
    runtime.deleteNamespace(names.controlPlane());
  }

  @Override
  public Component start(String place, String name, List<String> componentArgs, List<String> jvmOptions) {
    String ns = namespace(place);
    List<String> argv = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    argv.addAll(jvmOptions);
    argv.addAll(List.of("-cp", Launch.stableClasspath(cacheDir), "dev.meshctl.cli.Main", "component"));
    argv.addAll(componentArgs);
    Path log = stateDir.resolve("logs").resolve(name + ".log");
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, "--- started " + Instant.now() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ProcessBuilder pb = new ProcessBuilder(argv)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Process p = pb.start();
      long start = ProcessTable.startTime(p.pid()).orElse(0L);
      return new Component(name, place, p.pid(), start, log.toString());
    } catch (IOException e) {
      throw new LabException("cannot start " + name + " in " + place + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean running(Component component) {
    return ProcessTable.alive(component.pid(), component.startTime());
  }

  @Override
  public void stop(Component component, Duration grace) {
    ProcessTable.stop(component.pid(), component.startTime(), grace.toMillis());
  }

  @Override
  public ExecResult exec(String place, List<String> command) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace(place)));
    argv.addAll(command);
    CommandRunner.Result r = run.run(argv, null);
    return new ExecResult(r.exitCode(), r.stdout(), r.stderr());
  }

  private String namespace(String place) {
    if (CONTROL_PLANE.equals(place)) {
      return names.controlPlane();
    }
    return nodes.get().stream().filter(n -> n.name().equals(place)).map(NodeInfo::netns).findFirst()
        .orElseThrow(() -> new LabException("no node or place named \"" + place + "\" in lab"));
  }
}
