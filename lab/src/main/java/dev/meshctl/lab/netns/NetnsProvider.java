package dev.meshctl.lab.netns;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ClusterProvider;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.LabSpec;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Preflight;
import dev.meshctl.lab.Progress;
import dev.meshctl.lab.state.LabState;
import dev.meshctl.lab.state.LabStateFile;
import dev.meshctl.lab.workload.ImageCatalog;
import dev.meshctl.lab.workload.PodFactory;
import dev.meshctl.objects.store.ObjectStore;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Brings netns labs up and down. */
public final class NetnsProvider implements ClusterProvider {
  public static final String NAME = "netns";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private final CommandRunner run;
  private final ImageCatalog images;
  private final Path cacheDir;

  /** Creates the provider; pods and components run from a stable copy of the jar kept in {@code cacheDir}. */
  public NetnsProvider(Path cacheDir) {
    this(new CommandRunner(), ImageCatalog.forThisJvm(cacheDir), cacheDir);
  }

  public NetnsProvider(CommandRunner run, ImageCatalog images, Path cacheDir) {
    this.run = run;
    this.images = images;
    this.cacheDir = cacheDir;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Preflight.Check> preflight() {
    return NetnsPreflight.checks(run);
  }

  @Override
  public Cluster up(LabSpec spec, Path stateDir, Progress progress) {
    LabStateFile file = new LabStateFile(stateDir);
    var existing = file.read();
    if (existing.isPresent()) {
      LabState s = existing.get();
      if (s.nodes().size() != spec.nodes()) {
        throw new LabException("lab " + spec.name() + " is already up with " + s.nodes().size()
            + " nodes: run `meshctl lab down --name " + spec.name() + "` first to change its size");
      }
      if (intact(s)) {
        return open(spec.name(), stateDir);
      }
      progress.step("lab " + spec.name() + " is partly gone (after a reboot or a crash): rebuilding its network");
      return rebuild(s, file, progress);
    }
    Preflight.requireAll(preflight());
    NetnsNames names = new NetnsNames(spec.name());
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 1; i <= spec.nodes(); i++) {
      nodes.add(new NodeInfo("node-" + i, i, AddressPlan.nodeIp(i), AddressPlan.podCidr(i), names.node(i)));
    }
    LabState state = new LabState(spec.name(), NAME, nodes, 1, Instant.now().toString());
    try {
      createNetwork(state, file, progress);
      ObjectStore store = new ObjectStore(stateDir.resolve("store"));
      store.put(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build());
      file.write(state);
      return open(spec.name(), stateDir);
    } catch (RuntimeException | Error e) {
      try {
        down(spec.name(), stateDir, Progress.NONE);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  @Override
  public NetnsCluster open(String name, Path stateDir) {
    LabStateFile file = new LabStateFile(stateDir);
    LabState state = file.read().orElseThrow(() -> new LabException("lab " + name
        + " is not up: run `meshctl lab up" + ("default".equals(name) ? "" : " --name " + name) + "`"));
    ObjectStore store = new ObjectStore(stateDir.resolve("store"));
    NetnsNames names = new NetnsNames(name);
    PodRuntime runtime = new PodRuntime(names, run, images, stateDir.resolve("logs"));
    ServiceSync sync = new ServiceSync(run, runtime);
    NetnsCluster[] self = new NetnsCluster[1];
    Reconciler reconciler = new Reconciler(store, runtime, sync, new PodFactory(new Random()), READY_TIMEOUT,
        () -> self[0].nodes());
    self[0] = new NetnsCluster(state, file, store, run, runtime, new LabValidator(images), reconciler, cacheDir);
    return self[0];
  }

  @Override
  public void down(String name, Path stateDir, Progress progress) {
    NetnsNames names = new NetnsNames(name);
    PodRuntime runtime = new PodRuntime(names, run, images, stateDir.resolve("logs"));
    Path storeDir = stateDir.resolve("store");
    if (Files.isDirectory(storeDir)) {
      try {
        for (Pod pod : new ObjectStore(storeDir).list(Pod.class)) {
          runtime.stop(pod);
        }
      } catch (RuntimeException e) {
        progress.step("lab store unreadable (" + e.getMessage() + "): removing by namespace names");
      }
    }
    List<String> owned = ownedNamespaces(names);
    // pods first, then nodes, then the network: links disappear with the namespace that holds them
    owned.sort(Comparator.comparingInt(ns -> ns.endsWith("-net") ? 2 : ns.contains("-node") ? 1 : 0));
    for (String ns : owned) {
      progress.step("removing " + ns);
      runtime.deleteNamespace(ns);
    }
    removeStaleEtc(names);
    deleteRecursively(stateDir);
    List<String> left = ownedNamespaces(names);
    if (!left.isEmpty()) {
      throw new LabException("lab " + name + " left network namespaces behind: " + left
          + " — remove them with `ip netns del NAME` and report a bug");
    }
  }

  private NetnsCluster rebuild(LabState state, LabStateFile file, Progress progress) {
    Path stateDir = file.dir();
    NetnsNames names = new NetnsNames(state.name());
    PodRuntime runtime = new PodRuntime(names, run, images, stateDir.resolve("logs"));
    ObjectStore store = new ObjectStore(stateDir.resolve("store"));
    for (Pod pod : store.list(Pod.class)) {
      runtime.stop(pod);
      store.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }
    for (String ns : ownedNamespaces(names)) {
      runtime.deleteNamespace(ns);
    }
    createNetwork(state, file, progress);
    NetnsCluster cluster = open(state.name(), stateDir);
    cluster.apply(List.of(), progress);
    return cluster;
  }

  private void createNetwork(LabState state, LabStateFile file, Progress progress) {
    Topology topology = new Topology(new NetnsNames(state.name()));
    progress.step("creating cluster network");
    topology.network().forEach(run::check);
    PodRuntime runtime = new PodRuntime(new NetnsNames(state.name()), run, images, file.dir().resolve("logs"));
    ServiceSync sync = new ServiceSync(run, runtime);
    for (NodeInfo node : state.nodes()) {
      progress.step("creating node " + node.name() + " (" + node.ip() + ", pods " + node.podCidr() + ")");
      topology.node(node.index(), state.nodes().size()).forEach(run::check);
      sync.installBase(node);
    }
  }

  private boolean intact(LabState s) {
    NetnsNames names = new NetnsNames(s.name());
    if (!Files.exists(Path.of("/run/netns", names.network()))) {
      return false;
    }
    return s.nodes().stream().allMatch(n -> Files.exists(Path.of("/run/netns", n.netns())));
  }

  private List<String> ownedNamespaces(NetnsNames names) {
    List<String> owned = new ArrayList<>();
    CommandRunner.Result r = run.run(List.of("ip", "netns", "list"), null);
    for (String line : r.stdout().split("\n")) {
      String ns = line.split(" ")[0].trim();
      if (!ns.isEmpty() && names.owns(ns)) {
        owned.add(ns);
      }
    }
    return owned;
  }

  private static void removeStaleEtc(NetnsNames names) {
    if (!Files.isDirectory(PodRuntime.NETNS_ETC)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(PodRuntime.NETNS_ETC)) {
      dirs.filter(d -> names.owns(d.getFileName().toString())).forEach(NetnsProvider::deleteRecursively);
    } catch (IOException e) {
      throw new LabException("cannot clean " + PodRuntime.NETNS_ETC + ": " + e.getMessage(), e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new LabException("cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
