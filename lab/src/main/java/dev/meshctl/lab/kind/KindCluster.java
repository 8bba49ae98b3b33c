package dev.meshctl.lab.kind;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.LabStatus;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.Outcome;
import dev.meshctl.lab.PodStatus;
import dev.meshctl.lab.Progress;
import dev.meshctl.objects.Kinds;
import dev.meshctl.objects.ParsedObject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Operates a kind lab through the Kubernetes API (fabric8): apply ({@link KubeApply}), list, label and status go to the
 * API server, with node addresses and pod CIDRs read from the Node objects; exec
 * runs {@code kubectl exec}; capture runs tcpdump in a node container. The mesh runs as pods, so there is no
 * component host.
 */
public final class KindCluster implements Cluster {
  private final String name;
  private final Path stateDir;
  private final KubernetesClient client;
  private final List<NodeInfo> nodes;
  private volatile List<NodeInfo> described;

  public KindCluster(String name, Path stateDir, KubernetesClient client, List<NodeInfo> nodes) {
    this.name = Objects.requireNonNull(name, "name");
    this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    this.client = Objects.requireNonNull(client, "client");
    this.nodes = List.copyOf(nodes);
  }

  /** Returns the kubeconfig the lab wrote. */
  public Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String provider() {
    return KindProvider.NAME;
  }

  /**
   * Returns the nodes with their InternalIP and pod CIDR read from the Node objects (once: they do not change while
   * the cluster lives); the names alone when the API server cannot be reached.
   */
  @Override
  public List<NodeInfo> nodes() {
    List<NodeInfo> known = described;
    if (known != null) {
      return known;
    }
    if (nodes.stream().allMatch(n -> !n.ip().isEmpty() && !n.podCidr().isEmpty())) {
      described = nodes;
      return nodes;
    }
    try {
      List<NodeInfo> read = KindNodes.describe(nodes.stream().map(NodeInfo::name).toList(),
          client.nodes().list().getItems());
      if (read.stream().allMatch(n -> !n.ip().isEmpty() && !n.podCidr().isEmpty())) {
        described = read;
      }
      return read;
    } catch (KubernetesClientException e) {
      return nodes;
    }
  }

  @Override
  public Outcome apply(List<ParsedObject> objects, Progress progress) {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (ParsedObject p : objects) {
      HasMetadata o = p.object();
      try {
        done.add(KubeApply.line(o) + " " + KubeApply.apply(client, o).word());
      } catch (KubernetesClientException e) {
        failed.add(p.describe() + ": " + e.getMessage());
      }
    }
    return new Outcome(done, failed);
  }

  @Override
  public Outcome delete(List<ParsedObject> objects, Progress progress) {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (ParsedObject p : objects) {
      try {
        var deleted = client.resource(p.object()).delete();
        if (deleted == null || deleted.isEmpty()) {
          failed.add(p.describe() + " not found");
        } else {
          done.add(KubeApply.line(p.object()) + " deleted");
        }
      } catch (KubernetesClientException e) {
        failed.add(p.describe() + ": " + e.getMessage());
      }
    }
    return new Outcome(done, failed);
  }

  @Override
  public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
    var resources = client.resources(type);
    if (!Kinds.of(type).namespaced()) {
      return resources.list().getItems();
    }
    return namespace == null ? resources.inAnyNamespace().list().getItems()
        : resources.inNamespace(namespace).list().getItems();
  }

  @Override
  public String label(String kind, String namespace, String name, Map<String, String> set, Set<String> remove,
      boolean overwrite) {
    var kindInfo = Kinds.findByName(capitalized(kind)).orElseThrow(() -> new LabException(
        "cannot label a " + kind + ": use namespace, pod or service"));
    var resources = client.resources(kindInfo.type());
    var resource = kindInfo.namespaced() ? resources.inNamespace(namespace).withName(name) : resources.withName(name);
    HasMetadata current = resource.get();
    if (current == null) {
      throw new LabException(kind + " " + (kindInfo.namespaced() ? namespace + "/" : "") + name + " not found");
    }
    Map<String, String> labels = current.getMetadata().getLabels() == null ? Map.of()
        : current.getMetadata().getLabels();
    for (var e : set.entrySet()) {
      if (!overwrite && labels.containsKey(e.getKey()) && !labels.get(e.getKey()).equals(e.getValue())) {
        throw new LabException("label " + e.getKey() + " is already set on " + name + ": add --overwrite");
      }
    }
    resource.edit(o -> {
      Map<String, String> next = new java.util.TreeMap<>(labels);
      next.putAll(set);
      remove.forEach(next::remove);
      o.getMetadata().setLabels(next);
      return o;
    });
    return kind.toLowerCase(Locale.ROOT) + "/" + name + " labeled";
  }

  @Override
  public String resolvePod(String namespace, String target) {
    if (!target.startsWith("deploy/")) {
      if (client.pods().inNamespace(namespace).withName(target).get() == null) {
        throw new LabException("pod " + namespace + "/" + target + " not found");
      }
      return target;
    }
    String deployment = target.substring("deploy/".length());
    var d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    if (d == null) {
      throw new LabException("deployment " + namespace + "/" + deployment + " not found");
    }
    return client.pods().inNamespace(namespace).withLabels(d.getSpec().getSelector().getMatchLabels()).list()
        .getItems().stream().filter(p -> "Running".equals(p.getStatus() == null ? null : p.getStatus().getPhase()))
        .map(p -> p.getMetadata().getName()).sorted().findFirst().orElseThrow(() -> new LabException(
            "deployment " + namespace + "/" + deployment + " has no running pod yet: check `meshctl lab status`"));
  }

  @Override
  public ProcessBuilder exec(String namespace, String pod, List<String> command) {
    Path kubectl = KindProvider.onPath("kubectl").orElseThrow(() -> new LabException(
        "exec on a kind lab needs kubectl on PATH: install kubectl (https://kubernetes.io/docs/tasks/tools/)"));
    List<String> argv = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig().toString(),
        "exec", "-n", namespace, pod, "--"));
    argv.addAll(command);
    return new ProcessBuilder(argv);
  }

  @Override
  public ProcessBuilder capture(String node, List<String> tcpdumpArgs) {
    String container = node != null ? node : nodes.get(0).name();
    List<String> argv = new ArrayList<>(List.of("docker", "exec", container, "tcpdump", "-i", "any"));
    argv.addAll(tcpdumpArgs);
    return new ProcessBuilder(argv);
  }

  @Override
  public Path logs(String namespace, String pod) {
    try {
      Path dir = Files.createDirectories(stateDir.resolve("logs"));
      Path file = dir.resolve(namespace + "_" + pod + ".log");
      Files.writeString(file, client.pods().inNamespace(namespace).withName(pod).getLog());
      return file;
    } catch (IOException | KubernetesClientException e) {
      throw new LabException("cannot read the log of pod " + namespace + "/" + pod + ": " + e.getMessage(), e);
    }
  }

  @Override
  public LabStatus status() {
    List<LabStatus.NodeStatus> nodeStatus = new ArrayList<>();
    for (NodeInfo n : nodes()) {
      var node = client.nodes().withName(n.name()).get();
      boolean ready = node != null && node.getStatus() != null && node.getStatus().getConditions() != null
          && node.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      nodeStatus.add(new LabStatus.NodeStatus(n, ready, ready ? "" : "node " + n.name() + " is not Ready"));
    }
    List<PodStatus> pods = new ArrayList<>();
    for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
      if (p.getMetadata().getNamespace().startsWith("kube-") || "local-path-storage".equals(
          p.getMetadata().getNamespace())) {
        continue;
      }
      var s = p.getStatus();
      String node = p.getSpec() == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
      String ip = s == null || s.getPodIP() == null ? "" : s.getPodIP();
      // No process id: the pod runs in a kind node container, not in a netns of this host.
      pods.add(new PodStatus(p.getMetadata().getNamespace(), p.getMetadata().getName(), node, ip,
          PodPhases.describe(p), PodPhases.ready(p), 0));
    }
    return new LabStatus(name, KindProvider.NAME, nodeStatus, pods);
  }

  @Override
  public Optional<ComponentHost> components() {
    return Optional.empty();
  }

  @Override
  public Set<String> ownedNamespaces() {
    return Set.of();
  }

  private static String capitalized(String kind) {
    return kind.isEmpty() ? kind : Character.toUpperCase(kind.charAt(0)) + kind.substring(1).toLowerCase(Locale.ROOT);
  }
}
