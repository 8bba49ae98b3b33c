package dev.meshctl.lab.netns;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.LabStatus;
import dev.meshctl.lab.NodeInfo;
import dev.meshctl.lab.ObjectNames;
import dev.meshctl.lab.Outcome;
import dev.meshctl.lab.PodStatus;
import dev.meshctl.lab.Progress;
import dev.meshctl.lab.state.LabState;
import dev.meshctl.lab.state.LabStateFile;
import dev.meshctl.lab.workload.LabAnnotations;
import dev.meshctl.objects.InvalidObjectsException;
import dev.meshctl.objects.ParsedObject;
import dev.meshctl.objects.Problem;
import dev.meshctl.objects.store.ObjectStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Operates a lab whose nodes and pods are network namespaces on this machine. */
public final class NetnsCluster implements Cluster {
  private final LabStateFile stateFile;
  private final ObjectStore store;
  private final NetnsNames names;
  private final CommandRunner run;
  private final PodRuntime runtime;
  private final ServiceSync services;
  private final LabValidator validator;
  private final Reconciler reconciler;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final Path cacheDir;
  private LabState state;

  NetnsCluster(LabState state, LabStateFile stateFile, ObjectStore store, CommandRunner run, PodRuntime runtime,
      LabValidator validator, Reconciler reconciler, Path cacheDir) {
    this.cacheDir = cacheDir;
    this.state = state;
    this.stateFile = stateFile;
    this.store = store;
    this.names = new NetnsNames(state.name());
    this.run = run;
    this.runtime = runtime;
    this.services = new ServiceSync(run, runtime);
    this.validator = validator;
    this.reconciler = reconciler;
  }

  @Override
  public String name() {
    return state.name();
  }

  @Override
  public String provider() {
    return state.provider();
  }

  @Override
  public List<NodeInfo> nodes() {
    return state.nodes();
  }

  /** Returns the lab's object store (the control plane's file source reads it). */
  public ObjectStore store() {
    return store;
  }

  /** Returns the lab's state directory. */
  public Path stateDir() {
    return stateFile.dir();
  }

  @Override
  public Outcome apply(List<ParsedObject> objects, Progress progress) {
    try (AutoCloseable lock = stateFile.lock()) {
      Set<String> namespaces = store.list(Namespace.class).stream().map(n -> n.getMetadata().getName())
          .collect(Collectors.toSet());
      Set<String> sas = store.list(ServiceAccount.class).stream()
          .map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()).collect(Collectors.toSet());
      List<Problem> problems = new ArrayList<>(validator.validate(objects, namespaces, sas));
      problems.addAll(assignClusterIps(objects));
      if (!problems.isEmpty()) {
        throw new InvalidObjectsException(problems);
      }
      List<String> done = new ArrayList<>();
      List<HasMetadata> changed = new ArrayList<>();
      for (ParsedObject p : objects) {
        HasMetadata o = p.object();
        var existing = store.get(o.getClass(), o.getMetadata().getNamespace(), o.getMetadata().getName());
        String verb;
        if (existing.isEmpty()) {
          verb = "created";
        } else if (sameContent(existing.get(), o)) {
          verb = "unchanged";
        } else {
          verb = "configured";
        }
        if (!"unchanged".equals(verb)) {
          existing.ifPresent(e -> keepIdentity(e, o));
          changed.add(o);
        }
        done.add(ObjectNames.of(o) + " " + verb);
      }
      store.putAll(changed);
      reconciler.reconcile(this::saveState, () -> state, progress);
      return new Outcome(done, List.of());
    } catch (LabException | InvalidObjectsException e) {
      throw e;
    } catch (Exception e) {
      throw new LabException("apply failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Outcome delete(List<ParsedObject> objects, Progress progress) {
    try (AutoCloseable lock = stateFile.lock()) {
      List<String> done = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      Set<String> deletedNamespaces = new HashSet<>();
      for (ParsedObject p : objects) {
        HasMetadata o = p.object();
        String ns = o.getMetadata().getNamespace();
        String name = o.getMetadata().getName();
        if (ns != null && deletedNamespaces.contains(ns)) {
          // went with its namespace earlier in this delete, as Kubernetes' namespace deletion does
          store.delete(o.getClass(), ns, name);
          done.add(ObjectNames.of(o) + " deleted");
          continue;
        }
        if (o instanceof Namespace) {
          deletedNamespaces.add(name);
          if ("default".equals(name)) {
            failed.add("namespace/default: the default namespace cannot be deleted");
            continue;
          }
          for (HasMetadata inside : store.listAll()) {
            if (name.equals(inside.getMetadata().getNamespace()) && !(inside instanceof Pod)) {
              store.delete(inside.getClass(), name, inside.getMetadata().getName());
            }
          }
        }
        if (store.delete(o.getClass(), ns, name)) {
          done.add(ObjectNames.of(o) + " deleted");
        } else {
          failed.add(ObjectNames.of(o) + " not found");
        }
      }
      reconciler.reconcile(this::saveState, () -> state, progress);
      return new Outcome(done, failed);
    } catch (LabException e) {
      throw e;
    } catch (Exception e) {
      throw new LabException("delete failed: " + e.getMessage(), e);
    }
  }

  @Override
  public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
    return store.list(type).stream()
        .filter(o -> namespace == null || namespace.equals(o.getMetadata().getNamespace()))
        .collect(Collectors.toList());
  }

  @Override
  public String label(String kind, String namespace, String name, Map<String, String> set, Set<String> remove,
      boolean overwrite) {
    Class<? extends HasMetadata> type = switch (kind) {
      case "namespace", "namespaces", "ns" -> Namespace.class;
      case "pod", "pods", "po" -> Pod.class;
      case "service", "services", "svc" -> Service.class;
      case "deployment", "deployments", "deploy" -> Deployment.class;
      case "serviceaccount", "serviceaccounts", "sa" -> ServiceAccount.class;
      default -> throw new LabException("cannot label \"" + kind
          + "\": use namespace, pod, service, deployment or serviceaccount");
    };
    try (AutoCloseable lock = stateFile.lock()) {
      String ns = type == Namespace.class ? null : namespace;
      HasMetadata o = store.get(type, ns, name).orElseThrow(() -> new LabException(
          kindName(type) + " \"" + name + "\" not found" + (ns == null ? "" : " in namespace " + ns)
              + ": `meshctl get " + kindName(type) + "s" + (ns == null ? "" : " -n " + ns) + "` lists them"));
      Map<String, String> labels = new LinkedHashMap<>(
          o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels());
      Map<String, String> before = new HashMap<>(labels);
      for (var e : set.entrySet()) {
        String old = labels.get(e.getKey());
        if (old != null && !old.equals(e.getValue()) && !overwrite) {
          throw new LabException("'" + e.getKey() + "' already has a value (" + old
              + "), and --overwrite is false");
        }
        labels.put(e.getKey(), e.getValue());
      }
      remove.forEach(labels::remove);
      String what = ObjectNames.of(o);
      if (labels.equals(before)) {
        return what + " not labeled";
      }
      o.getMetadata().setLabels(labels);
      store.put(o);
      reconciler.syncServices();
      return what + " labeled";
    } catch (LabException e) {
      throw e;
    } catch (Exception e) {
      throw new LabException("label failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String resolvePod(String namespace, String target) {
    Objects.requireNonNull(target, "target");
    String ns = namespace == null ? "default" : namespace;
    List<Pod> pods = list(Pod.class, ns);
    int slash = target.indexOf('/');
    if (slash > 0) {
      String kind = target.substring(0, slash);
      String name = target.substring(slash + 1);
      if (List.of("deploy", "deployment", "deployments").contains(kind)) {
        return pods.stream()
            .filter(p -> dev.meshctl.lab.workload.DeploymentPlan.ownedBy(p, name))
            .sorted(java.util.Comparator.comparing((Pod p) -> !"Running".equals(p.getStatus().getPhase())))
            .map(p -> p.getMetadata().getName()).findFirst()
            .orElseThrow(() -> new LabException("no pod of deployment \"" + name + "\" in namespace " + ns
                + ": `meshctl get deployments -n " + ns + "` lists them"));
      }
      if (List.of("pod", "pods", "po").contains(kind)) {
        target = name;
      } else {
        throw new LabException("cannot resolve \"" + target + "\": use POD, pod/POD or deploy/NAME");
      }
    }
    String podName = target;
    return pods.stream().map(p -> p.getMetadata().getName()).filter(podName::equals).findFirst()
        .orElseThrow(() -> new LabException("pod \"" + podName + "\" not found in namespace " + ns
            + ": `meshctl get pods -n " + ns + "` lists them"));
  }

  @Override
  public ProcessBuilder exec(String namespace, String pod, List<String> command) {
    Pod p = pod(namespace, pod);
    String ns = PodRuntime.netns(p);
    if (ns == null || !Files.exists(Path.of("/run/netns", ns))) {
      throw new LabException("pod " + pod + " has no network namespace (phase " + p.getStatus().getPhase()
          + "): `meshctl lab status` shows what happened");
    }
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    argv.addAll(command);
    return new ProcessBuilder(argv);
  }

  @Override
  public ProcessBuilder capture(String node, List<String> tcpdumpArgs) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec"));
    if (node == null) {
      argv.addAll(List.of(names.network(), "tcpdump", "-i", NetnsNames.BRIDGE));
    } else {
      NodeInfo n = state.nodes().stream().filter(x -> x.name().equals(node)).findFirst()
          .orElseThrow(() -> new LabException("no node \"" + node + "\" in lab " + name() + ": "
              + state.nodes().stream().map(NodeInfo::name).toList()));
      argv.addAll(List.of(n.netns(), "tcpdump", "-i", NetnsNames.NODE_IFACE));
    }
    argv.addAll(tcpdumpArgs);
    return new ProcessBuilder(argv);
  }

  @Override
  public Path logs(String namespace, String pod) {
    return runtime.logFile(pod(namespace, pod));
  }

  @Override
  public LabStatus status() {
    try (AutoCloseable lock = stateFile.lock()) {
      reconciler.refresh();
      List<LabStatus.NodeStatus> nodes = new ArrayList<>();
      for (NodeInfo n : state.nodes()) {
        boolean exists = Files.exists(Path.of("/run/netns", n.netns()));
        nodes.add(new LabStatus.NodeStatus(n, exists, exists ? "" : "network namespace " + n.netns()
            + " is missing: run `meshctl lab down` and `meshctl lab up`"));
      }
      List<PodStatus> pods = new ArrayList<>();
      for (Pod p : store.list(Pod.class)) {
        pods.add(new PodStatus(p.getMetadata().getNamespace(), p.getMetadata().getName(), p.getSpec().getNodeName(),
            p.getStatus().getPodIP(), p.getStatus().getPhase(), dev.meshctl.lab.workload.Endpoints.ready(p),
            PodRuntime.annotationLong(p, LabAnnotations.PID)));
      }
      return new LabStatus(state.name(), state.provider(), nodes, pods);
    } catch (LabException e) {
      throw e;
    } catch (Exception e) {
      throw new LabException("status failed: " + e.getMessage(), e);
    }
  }

  @Override
  public java.util.Optional<dev.meshctl.lab.ComponentHost> components() {
    return java.util.Optional.of(new NetnsComponentHost(names, run, runtime, stateFile.dir(), this::nodes, cacheDir));
  }

  @Override
  public Set<String> ownedNamespaces() {
    Set<String> owned = new HashSet<>();
    CommandRunner.Result r = run.run(List.of("ip", "netns", "list"), null);
    for (String line : r.stdout().split("\n")) {
      String ns = line.split(" ")[0].trim();
      if (!ns.isEmpty() && names.owns(ns)) {
        owned.add(ns);
      }
    }
    return owned;
  }

  private Pod pod(String namespace, String name) {
    String ns = namespace == null ? "default" : namespace;
    return store.get(Pod.class, ns, name).orElseThrow(() -> new LabException(
        "pod \"" + name + "\" not found in namespace " + ns + ": `meshctl get pods -n " + ns + "` lists them"));
  }

  private void saveState(LabState next) {
    state = next;
    stateFile.write(next);
  }

  private List<Problem> assignClusterIps(List<ParsedObject> objects) {
    Set<String> used = new HashSet<>();
    for (Service s : store.list(Service.class)) {
      String ip = s.getSpec().getClusterIP();
      if (ip != null) {
        used.add(ip);
      }
    }
    List<Problem> problems = new ArrayList<>();
    int next = 0;
    for (ParsedObject p : objects) {
      if (!(p.object() instanceof Service s)) {
        continue;
      }
      var existing = store.get(Service.class, s.getMetadata().getNamespace(), s.getMetadata().getName());
      String current = existing.map(e -> e.getSpec().getClusterIP()).orElse(null);
      String wanted = s.getSpec().getClusterIP();
      if (wanted == null || wanted.isBlank()) {
        if (current != null) {
          s.getSpec().setClusterIP(current);
          continue;
        }
        String vip;
        do {
          vip = AddressPlan.serviceVip(next++);
        } while (used.contains(vip));
        used.add(vip);
        s.getSpec().setClusterIP(vip);
      } else if (current != null && !current.equals(wanted)) {
        problems.add(new Problem(p.source(), p.document(), p.describe(), "spec.clusterIP",
            "field is immutable (" + current + "): delete the service first to change it"));
      } else if (current == null && used.contains(wanted)) {
        problems.add(new Problem(p.source(), p.document(), p.describe(), "spec.clusterIP",
            wanted + " is already allocated to another service"));
      } else {
        used.add(wanted);
      }
    }
    return problems;
  }

  private static boolean sameContent(HasMetadata stored, HasMetadata applied) {
    return comparable(stored).equals(comparable(applied));
  }

  /** Renders an object without the fields the lab manages (identity, versions, status). */
  private static com.fasterxml.jackson.databind.JsonNode comparable(HasMetadata o) {
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(o);
    tree.remove("status");
    com.fasterxml.jackson.databind.JsonNode meta = tree.get("metadata");
    if (meta instanceof com.fasterxml.jackson.databind.node.ObjectNode m) {
      m.remove(List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"));
    }
    return tree;
  }

  private static void keepIdentity(HasMetadata stored, HasMetadata applied) {
    applied.getMetadata().setUid(stored.getMetadata().getUid());
    applied.getMetadata().setCreationTimestamp(stored.getMetadata().getCreationTimestamp());
  }

  private static String kindName(Class<?> type) {
    return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
