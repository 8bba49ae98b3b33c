package dev.meshctl.controlplane.model;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Holds the mesh's input objects, indexed, with enrollment and waypoint binding decided.
 *
 * <p>Immutable; every collection it returns is sorted by {@code namespace/name}, so translation is
 * deterministic.
 *
 * <pre>{@code
 * MeshModel model = MeshModel.of(store.objects(), MeshConfig.defaults());
 * boolean captured = model.enrolled(pod);
 * Optional<WaypointBinding> waypoint = model.waypointFor(service);
 * }</pre>
 */
public final class MeshModel {
  private final MeshConfig config;
  private final Map<String, Namespace> namespaces = new TreeMap<>();
  private final Map<String, Pod> pods = new TreeMap<>();
  private final Map<String, Service> services = new TreeMap<>();
  private final Map<String, ServiceAccount> serviceAccounts = new TreeMap<>();
  private final Map<String, Deployment> deployments = new TreeMap<>();
  private final Map<String, ReplicaSet> replicaSets = new TreeMap<>();
  private final Map<String, AuthorizationPolicy> authorizationPolicies = new TreeMap<>();
  private final Map<String, PeerAuthentication> peerAuthentications = new TreeMap<>();
  private final Map<String, Gateway> gateways = new TreeMap<>();
  private final Map<String, HTTPRoute> httpRoutes = new TreeMap<>();
  private final Map<String, MeshWaypoint> waypoints;
  private final PodIndex podIndex;
  private final Map<String, List<Pod>> servicePods = new HashMap<>();
  private final Map<String, List<Service>> podServices = new HashMap<>();
  private final Map<String, List<Pod>> podsByNode = new TreeMap<>();
  private final Map<String, WaypointBinding> serviceBindings = new TreeMap<>();
  private final Map<String, WaypointBinding> podBindings = new TreeMap<>();
  private final List<String> warnings = new ArrayList<>();

  private MeshModel(Collection<? extends HasMetadata> objects, MeshConfig config) {
    this.config = config;
    for (HasMetadata o : objects) {
      Objects.requireNonNull(o, "objects contains null");
      if (o.getMetadata() == null || o.getMetadata().getName() == null) {
        warnings.add(o.getKind() + " without metadata.name ignored: give every object a name");
        continue;
      }
      file(o);
    }
    podIndex = new PodIndex(pods.values());
    pods.values().forEach(p -> podsByNode.computeIfAbsent(Pods.node(p), n -> new ArrayList<>()).add(p));
    podsByNode.remove("");
    for (Map.Entry<String, Service> e : services.entrySet()) {
      Map<String, String> selector = e.getValue().getSpec() == null ? null : e.getValue().getSpec().getSelector();
      List<Pod> selected = selector == null || selector.isEmpty() ? List.of()
          : List.copyOf(podIndex.select(e.getValue().getMetadata().getNamespace(), selector));
      servicePods.put(e.getKey(), selected);
      selected.forEach(p -> podServices.computeIfAbsent(key(p), k -> new ArrayList<>()).add(e.getValue()));
    }
    waypoints = Collections.unmodifiableMap(new Waypoints(config, gateways, podIndex, services, warnings).build());
    Map<String, MeshWaypoint> bySa = new TreeMap<>();
    Map<String, String> otherGateways = new HashMap<>();
    gateways.forEach((k, g) -> {
      if (!waypoints.containsKey(k)) {
        otherGateways.put(k, g.getSpec() == null ? "" : String.valueOf(g.getSpec().getGatewayClassName()));
      }
    });
    for (MeshWaypoint w : waypoints.values()) {
      if (w.perServiceAccount()) {
        MeshWaypoint earlier = bySa.putIfAbsent(w.namespace() + "/" + w.serviceAccount(), w);
        if (earlier != null) {
          warnings.add("waypoints " + earlier.key() + " and " + w.key() + " both serve service account "
              + w.serviceAccount() + "; using " + earlier.key() + ": remove one");
        }
      }
    }
    WaypointBinder binder = new WaypointBinder(namespaces, otherGateways, waypoints, bySa);
    services.forEach((k, s) -> binder.forService(s, servicePods.get(k)).ifPresent(b -> serviceBindings.put(k, b)));
    for (Map.Entry<String, Pod> e : pods.entrySet()) {
      if (enrolled(e.getValue())) {
        binder.forPod(e.getValue()).ifPresent(b -> podBindings.put(e.getKey(), b));
      }
    }
  }

  /** Indexes objects; kinds the mesh does not use (ConfigMaps, EndpointSlices, ...) are ignored. */
  public static MeshModel of(Collection<? extends HasMetadata> objects, MeshConfig config) {
    Objects.requireNonNull(objects, "objects");
    Objects.requireNonNull(config, "config");
    return new MeshModel(objects, config);
  }

  private void file(HasMetadata o) {
    if (o instanceof Namespace ns) {
      namespaces.put(ns.getMetadata().getName(), ns);
      return;
    }
    boolean used = o instanceof Pod || o instanceof Service || o instanceof ServiceAccount || o instanceof Deployment
        || o instanceof ReplicaSet || o instanceof AuthorizationPolicy || o instanceof PeerAuthentication
        || o instanceof Gateway || o instanceof HTTPRoute;
    if (!used) {
      return;
    }
    if (o.getMetadata().getNamespace() == null || o.getMetadata().getNamespace().isEmpty()) {
      // Sources fill in the namespace; the model never edits objects it is given.
      warnings.add(o.getKind() + " " + o.getMetadata().getName() + " has no metadata.namespace and is ignored:"
          + " set its namespace");
      return;
    }
    String k = key(o);
    if (o instanceof Pod p) {
      pods.put(k, p);
    } else if (o instanceof Service s) {
      services.put(k, s);
    } else if (o instanceof ServiceAccount sa) {
      serviceAccounts.put(k, sa);
    } else if (o instanceof Deployment d) {
      deployments.put(k, d);
    } else if (o instanceof ReplicaSet rs) {
      replicaSets.put(k, rs);
    } else if (o instanceof AuthorizationPolicy ap) {
      authorizationPolicies.put(k, ap);
    } else if (o instanceof PeerAuthentication pa) {
      peerAuthentications.put(k, pa);
    } else if (o instanceof Gateway g) {
      gateways.put(k, g);
    } else if (o instanceof HTTPRoute r) {
      httpRoutes.put(k, r);
    }
  }

  /** Returns {@code namespace/name} of a namespaced object. */
  public static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  public MeshConfig config() {
    return config;
  }

  public Collection<Namespace> namespaces() {
    return Collections.unmodifiableCollection(namespaces.values());
  }

  public Optional<Namespace> namespace(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  public Collection<Pod> pods() {
    return Collections.unmodifiableCollection(pods.values());
  }

  /** Returns the pods of one namespace. */
  public List<Pod> pods(String namespace) {
    return Collections.unmodifiableList(podIndex.inNamespace(namespace));
  }

  /** Returns the pods of {@code namespace} whose labels include {@code selector} (all pods for an empty one). */
  public List<Pod> podsMatching(String namespace, Map<String, String> selector) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(selector, "selector");
    return Collections.unmodifiableList(podIndex.select(namespace, selector));
  }

  public Collection<Service> services() {
    return Collections.unmodifiableCollection(services.values());
  }

  public Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(services.get(namespace + "/" + name));
  }

  public Collection<ServiceAccount> serviceAccounts() {
    return Collections.unmodifiableCollection(serviceAccounts.values());
  }

  public Collection<Deployment> deployments() {
    return Collections.unmodifiableCollection(deployments.values());
  }

  public Collection<AuthorizationPolicy> authorizationPolicies() {
    return Collections.unmodifiableCollection(authorizationPolicies.values());
  }

  public Collection<PeerAuthentication> peerAuthentications() {
    return Collections.unmodifiableCollection(peerAuthentications.values());
  }

  /** Returns every Gateway, waypoint or not. */
  public Collection<Gateway> gateways() {
    return Collections.unmodifiableCollection(gateways.values());
  }

  public Collection<HTTPRoute> httpRoutes() {
    return Collections.unmodifiableCollection(httpRoutes.values());
  }

  /** Returns the waypoints, sorted by {@code namespace/name}. */
  public Collection<MeshWaypoint> waypoints() {
    return waypoints.values();
  }

  public Optional<MeshWaypoint> waypoint(String namespace, String name) {
    return Optional.ofNullable(waypoints.get(namespace + "/" + name));
  }

  /** Returns the pods a Service selects (none for a Service without a selector). */
  public List<Pod> podsSelectedBy(Service service) {
    Objects.requireNonNull(service, "service");
    return servicePods.getOrDefault(key(service), List.of());
  }

  /** Returns the Services that select a pod. */
  public List<Service> servicesOf(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    return Collections.unmodifiableList(podServices.getOrDefault(key(pod), List.of()));
  }

  /** Returns the names of nodes that run pods or are listed in {@link MeshConfig#nodes()}, sorted. */
  public SortedSet<String> nodes() {
    SortedSet<String> nodes = new TreeSet<>(podsByNode.keySet());
    nodes.addAll(config.nodes());
    return Collections.unmodifiableSortedSet(nodes);
  }

  /** Returns the pods scheduled on a node. */
  public List<Pod> podsOnNode(String node) {
    return Collections.unmodifiableList(podsByNode.getOrDefault(node, List.of()));
  }

  /**
   * Tells whether the node agent captures a pod: its own {@code istio.io/dataplane-mode} label beats its
   * namespace's, and waypoint instances are never captured.
   */
  public boolean enrolled(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    Map<String, String> labels = Pods.labels(pod);
    if (labels.containsKey(MeshLabels.GATEWAY_NAME)) {
      return false;
    }
    String own = labels.get(MeshLabels.DATAPLANE_MODE);
    if (MeshLabels.MODE_AMBIENT.equals(own)) {
      return true;
    }
    if (MeshLabels.MODE_NONE.equals(own)) {
      return false;
    }
    Namespace ns = namespaces.get(pod.getMetadata().getNamespace());
    return ns != null && MeshLabels.MODE_AMBIENT.equals(Pods.labels(ns).get(MeshLabels.DATAPLANE_MODE));
  }

  /** Returns the waypoint binding of a Service, ready or not; empty when none was asked for. */
  public Optional<WaypointBinding> waypointFor(Service service) {
    Objects.requireNonNull(service, "service");
    return Optional.ofNullable(serviceBindings.get(key(service)));
  }

  /** Returns the waypoint binding of a pod's workload traffic, ready or not; empty when none was asked for. */
  public Optional<WaypointBinding> waypointFor(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    return Optional.ofNullable(podBindings.get(key(pod)));
  }

  /** Returns the waypoint a binding sends traffic through now: present only when the binding is ready. */
  public Optional<MeshWaypoint> readyWaypoint(Optional<WaypointBinding> binding) {
    return binding.filter(WaypointBinding::ready).map(b -> waypoints.get(b.waypointKey()));
  }

  /** Returns every binding (services first, then workloads), for {@code meshctl waypoint status}. */
  public List<WaypointBinding> bindings() {
    List<WaypointBinding> all = new ArrayList<>(serviceBindings.values());
    all.addAll(podBindings.values());
    return Collections.unmodifiableList(all);
  }

  /**
   * Returns the workload a pod belongs to: its Deployment (directly or through a ReplicaSet), another
   * controller, or the pod itself.
   */
  public Owner owner(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    String ns = pod.getMetadata().getNamespace();
    Optional<OwnerReference> deployment = Pods.owner(pod, "Deployment");
    if (deployment.isPresent()) {
      return new Owner("Deployment", deployment.get().getName());
    }
    Optional<OwnerReference> rs = Pods.owner(pod, "ReplicaSet");
    if (rs.isPresent()) {
      ReplicaSet known = replicaSets.get(ns + "/" + rs.get().getName());
      Optional<OwnerReference> viaRs = known == null ? Optional.empty() : Pods.owner(known, "Deployment");
      if (viaRs.isPresent()) {
        return new Owner("Deployment", viaRs.get().getName());
      }
      // Kubernetes names a Deployment's ReplicaSets <deployment>-<pod-template-hash>.
      String hash = Pods.labels(pod).get("pod-template-hash");
      String name = rs.get().getName();
      if (hash != null && name.endsWith("-" + hash)) {
        return new Owner("Deployment", name.substring(0, name.length() - hash.length() - 1));
      }
      return new Owner("ReplicaSet", name);
    }
    for (String kind : List.of("StatefulSet", "DaemonSet", "Job", "CronJob")) {
      Optional<OwnerReference> o = Pods.owner(pod, kind);
      if (o.isPresent()) {
        return new Owner(kind, o.get().getName());
      }
    }
    return new Owner("Pod", pod.getMetadata().getName());
  }

  /** Returns problems found while indexing, for operators (never fatal). */
  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }

  /** Names the workload a pod belongs to, e.g. {@code Deployment reviews-v1}. */
  public record Owner(String kind, String name) {}
}
