package dev.meshctl.controlplane.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Configures a control plane.
 *
 * @param stateDir where the CA (ca/) and the node bootstrap credentials (node-tokens) live
 * @param storeDir the object store to watch (the lab's store)
 * @param listen the gRPC address for discovery and the CA (15012)
 * @param debug the loopback HTTP address for readiness and debug views (15014)
 * @param trustDomain the SPIFFE trust domain
 * @param serverNames DNS names and IPs the control plane's TLS certificate carries
 * @param nodes nodes that get a (possibly empty) snapshot even before pods land on them
 * @param pluginCa a user-supplied root or intermediate CA; empty to use (or generate) the root in {@code stateDir/ca}
 */
public record ControlPlaneOptions(Path stateDir, Path storeDir, InetSocketAddress listen, InetSocketAddress debug,
    String trustDomain, List<String> serverNames, List<String> nodes, java.util.Optional<PluginCa> pluginCa) {

  /** Names the files of a plug-in CA: its certificate and key, and the chain up to the root (for intermediates). */
  public record PluginCa(Path cert, Path key, java.util.Optional<Path> chain) {}

  public static final int GRPC_PORT = 15012;
  public static final int DEBUG_PORT = 15014;

  public ControlPlaneOptions {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(storeDir, "storeDir");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(debug, "debug");
    Objects.requireNonNull(trustDomain, "trustDomain");
    serverNames = List.copyOf(serverNames);
    nodes = List.copyOf(nodes);
    Objects.requireNonNull(pluginCa, "pluginCa");
  }

  /** Loads the CA these options name: the plug-in one, else the saved root (generated on first use). */
  public dev.meshctl.controlplane.ca.MeshCa loadCa(java.time.Clock clock) {
    if (pluginCa.isPresent()) {
      PluginCa p = pluginCa.get();
      return dev.meshctl.controlplane.ca.MeshCa.load(p.cert(), p.key(), p.chain(), trustDomain, clock);
    }
    return dev.meshctl.controlplane.ca.CaFiles.loadOrGenerate(stateDir.resolve("ca"), trustDomain, clock);
  }
}
