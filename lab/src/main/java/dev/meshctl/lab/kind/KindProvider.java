package dev.meshctl.lab.kind;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ClusterProvider;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.LabSpec;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Preflight;
import dev.meshctl.lab.Progress;
import dev.meshctl.lab.state.LabState;
import dev.meshctl.lab.state.LabStateFile;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs labs on kind: multi-node through the {@code kind} CLI when it is installed, otherwise one node through
 * Testcontainers (kindcontainer). Docker is checked first, through its socket, so a machine without Docker gets a
 * clear answer at once. The kubeconfig is written to the lab's state directory, with context {@code kind-meshctl-NAME}.
 */
public final class KindProvider implements ClusterProvider {
  public static final String NAME = "kind";
  static final long MIN_INOTIFY_WATCHES = 524_288;
  static final long MIN_INOTIFY_INSTANCES = 512;

  private final Map<String, String> env;

  public KindProvider() {
    this(System.getenv());
  }

  KindProvider(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Preflight.Check> preflight() {
    List<Preflight.Check> checks = new ArrayList<>();
    DockerSocket.Status docker = DockerSocket.ping(env);
    checks.add(new Preflight.Check("docker", docker.up() ? "Docker answers at " + docker.where() : docker.problem(),
        docker.up(), DockerSocket.HINT));
    checks.add(kindCli(onPath("kind")));
    checks.add(new Preflight.Check("kubectl", onPath("kubectl").isPresent() ? "kubectl found"
        : "kubectl not found: `meshctl exec` on kind labs needs it", true, "install kubectl"));
    // Every kind node (CLI or Testcontainers) runs kubelet and systemd, which use inotify watches and instances.
    checks.add(inotify("max_user_watches", MIN_INOTIFY_WATCHES));
    checks.add(inotify("max_user_instances", MIN_INOTIFY_INSTANCES));
    return checks;
  }

  /** Reports how clusters get created: the kind CLI (multi-node) or the Testcontainers fallback (one node). */
  static Preflight.Check kindCli(Optional<Path> kind) {
    return new Preflight.Check("kind", kind.map(p -> "kind CLI found at " + p + ": multi-node clusters")
        .orElse("kind CLI not found: labs are single-node, through Testcontainers (kindcontainer)"), true,
        "install kind (https://kind.sigs.k8s.io) for multi-node labs");
  }

  /** Checks one inotify limit as the kernel reports it; kind nodes fail with "too many open files" below it. */
  static Preflight.Check inotify(String name, long min) {
    return inotify(name, readLong(Path.of("/proc/sys/fs/inotify/" + name)), min);
  }

  /** Checks inotify limit {@code name} at {@code value} (empty when unreadable) against kind's {@code min}. */
  static Preflight.Check inotify(String name, Optional<Long> value, long min) {
    String key = "fs.inotify." + name;
    String fix = "sudo sysctl -w " + key + "=" + min + " (keep it across reboots: echo " + key + "=" + min
        + " | sudo tee /etc/sysctl.d/99-kind.conf)";
    if (value.isEmpty()) {
      return new Preflight.Check("kernel", "cannot read " + key + " from /proc/sys (kind needs >= " + min + ")",
          false, fix);
    }
    return new Preflight.Check("kernel", key + " = " + value.get() + " (kind needs >= " + min + ")",
        value.get() >= min, fix);
  }

  @Override
  public Cluster up(LabSpec spec, Path stateDir, Progress progress) {
    requireDocker();
    LabStateFile file = new LabStateFile(stateDir);
    Optional<LabState> existing = file.read();
    if (existing.isPresent()) {
      if (existing.get().nodes().size() != spec.nodes()) {
        throw new LabException("lab " + spec.name() + " is up with " + existing.get().nodes().size()
            + " nodes: run `meshctl lab down` first to change its shape");
      }
      return open(spec.name(), stateDir);
    }
    Preflight.requireAll(preflight());
    Path kubeconfig = stateDir.resolve("kubeconfig");
    List<String> nodeNames;
    if (onPath("kind").isPresent()) {
      nodeNames = KindCli.create(spec.name(), spec.nodes(), stateDir, kubeconfig, progress);
    } else {
      if (spec.nodes() > 1) {
        progress.step("kind CLI not found: creating a single-node cluster through Testcontainers (kindcontainer)");
      }
      nodeNames = KindContainers.create(spec.name(), kubeconfig, progress);
    }
    List<NodeInfo> nodes = describe(nodeNames, kubeconfig);
    file.write(new LabState(spec.name(), NAME, nodes, 1, Instant.now().toString()));
    progress.step("kubeconfig " + kubeconfig + " (context " + KindConfig.context(spec.name()) + ")");
    return open(spec.name(), stateDir);
  }

  @Override
  public KindCluster open(String name, Path stateDir) {
    LabState state = new LabStateFile(stateDir).read().orElseThrow(() -> new LabException(
        "lab " + name + " is not up: run `meshctl lab up --provider kind`"));
    Path kubeconfig = stateDir.resolve("kubeconfig");
    KubernetesClient client = client(kubeconfig);
    return new KindCluster(name, stateDir, client, state.nodes());
  }

  @Override
  public void down(String name, Path stateDir, Progress progress) {
    requireDocker();
    if (onPath("kind").isPresent()) {
      KindCli.delete(name, progress);
    }
    KindContainers.delete(name, progress);
    try {
      Files.deleteIfExists(stateDir.resolve("kubeconfig"));
      Files.deleteIfExists(new LabStateFile(stateDir).file());
    } catch (IOException e) {
      throw new LabException("cannot remove the state of lab " + name + " in " + stateDir + ": " + e.getMessage(), e);
    }
  }

  /** Reads the new nodes' InternalIPs and pod CIDRs; names only when the API server does not answer yet. */
  private static List<NodeInfo> describe(List<String> names, Path kubeconfig) {
    try (KubernetesClient client = client(kubeconfig)) {
      return KindNodes.describe(names, client.nodes().list().getItems());
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      // KindCluster.nodes() reads them again later.
      return KindNodes.describe(names, List.of());
    }
  }

  /** Fails at once, naming Docker and what to do, when no Docker engine answers. */
  void requireDocker() {
    DockerSocket.Status docker = DockerSocket.ping(env);
    if (!docker.up()) {
      throw new LabException("the kind provider needs Docker: " + docker.problem() + "; " + DockerSocket.HINT);
    }
  }

  static KubernetesClient client(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new LabException("cannot read kubeconfig " + kubeconfig + ": run `meshctl lab down` and `meshctl lab up"
          + " --provider kind` again", e);
    }
  }

  /** Finds an executable on PATH. */
  static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Optional<Long> readLong(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
