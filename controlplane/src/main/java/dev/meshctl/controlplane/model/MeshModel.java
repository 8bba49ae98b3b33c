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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Holds the mesh's input objects, indexed, with enrollment and waypoint binding decided.
 *
 * <p>Immutable; every collection it returns is sorted by {@code namespace/name}, so translation is
 * deterministic. {@link #update} derives the next model from the previous one and the new object list, and
 * shares every index entry the change does not affect, so a small change costs little more than reading the list.
 *
 * <pre>{@code
 * MeshModel model = MeshModel.of(store.objects(), MeshConfig.defaults());
 * model = MeshModel.update(model, store.objects());   // after a change
 * boolean captured = model.enrolled(pod);
 * Optional<WaypointBinding> waypoint = model.waypointFor(service);
 * }</pre>
 */
public final class MeshModel {
  private final ModelState state;
  private final SortedShards<Namespace> namespaces;
  private final SortedShards<Pod> pods;
  private final SortedShards<Service> services;
  private final SortedShards<ReplicaSet> replicaSets;
  private final List<String> warnings;

  private MeshModel(ModelState state) {
    this.state = state;
    this.namespaces = state.of(ObjectKind.NAMESPACE);
    this.pods = state.of(ObjectKind.POD);
    this.services = state.of(ObjectKind.SERVICE);
    this.replicaSets = state.of(ObjectKind.REPLICA_SET);
    List<String> all = new ArrayList<>(state.inputWarnings());
    all.addAll(state.waypointWarnings());
    this.warnings = Collections.unmodifiableList(all);
  }

  /** Indexes objects; kinds the mesh does not use (ConfigMaps, EndpointSlices, ...) are ignored. */
  public static MeshModel of(Collection<? extends HasMetadata> objects, MeshConfig config) {
    Objects.requireNonNull(objects, "objects");
    Objects.requireNonNull(config, "config");
    return new MeshModel(ModelUpdate.apply(ModelState.empty(config), objects));
  }

  /**
   * Indexes objects as {@link #of} does, with the previous model's config, reusing every index entry of
   * {@code previous} that no added, replaced or removed object affects; the result equals
   * {@code MeshModel.of(objects, previous.config())}.
   *
   * <p>Objects are matched by kind and {@code namespace/name}; the very same instance (or one with the same uid
   * and resourceVersion) is unchanged, so sources must replace objects, never edit them. Costs about the size of
   * the list plus the size of the change, not a rebuild.
   */
  public static MeshModel update(MeshModel previous, Collection<? extends HasMetadata> objects) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(objects, "objects");
    return new MeshModel(ModelUpdate.apply(previous.state, objects));
  }

  /** Returns {@code namespace/name} of a namespaced object. */
  public static String key(HasMetadata o) {
    return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }

  public MeshConfig config() {
    return state.config();
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

  /** Returns the pods as held, for tests of structural sharing. */
  SortedShards<Pod> podShards() {
    return pods;
  }

  /** Returns the pods of one namespace. */
  public List<Pod> pods(String namespace) {
    return Collections.unmodifiableList(state.podIndex().inNamespace(namespace));
  }

  /** Returns the pods of {@code namespace} whose labels include {@code selector} (all pods for an empty one). */
  public List<Pod> podsMatching(String namespace, Map<String, String> selector) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(selector, "selector");
    return Collections.unmodifiableList(state.podIndex().select(namespace, selector));
  }

  public Collection<Service> services() {
    return Collections.unmodifiableCollection(services.values());
  }

  public Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(services.get(namespace + "/" + name));
  }

  public Collection<ServiceAccount> serviceAccounts() {
    return Collections.unmodifiableCollection(state.<ServiceAccount>of(ObjectKind.SERVICE_ACCOUNT).values());
  }

  public Collection<Deployment> deployments() {
    return Collections.unmodifiableCollection(state.<Deployment>of(ObjectKind.DEPLOYMENT).values());
  }

  public Collection<AuthorizationPolicy> authorizationPolicies() {
    return Collections.unmodifiableCollection(state.<AuthorizationPolicy>of(ObjectKind.AUTHORIZATION_POLICY).values());
  }

  public Collection<PeerAuthentication> peerAuthentications() {
    return Collections.unmodifiableCollection(state.<PeerAuthentication>of(ObjectKind.PEER_AUTHENTICATION).values());
  }

  /** Returns every Gateway, waypoint or not. */
  public Collection<Gateway> gateways() {
    return Collections.unmodifiableCollection(state.<Gateway>of(ObjectKind.GATEWAY).values());
  }

  public Collection<HTTPRoute> httpRoutes() {
    return Collections.unmodifiableCollection(state.<HTTPRoute>of(ObjectKind.HTTP_ROUTE).values());
  }

  /** Returns the waypoints, sorted by {@code namespace/name}. */
  public Collection<MeshWaypoint> waypoints() {
    return state.waypoints().values();
  }

  public Optional<MeshWaypoint> waypoint(String namespace, String name) {
    return Optional.ofNullable(state.waypoints().get(namespace + "/" + name));
  }

  /** Returns the pods a Service selects (none for a Service without a selector). */
  public List<Pod> podsSelectedBy(Service service) {
    Objects.requireNonNull(service, "service");
    return state.servicePods().getOrDefault(key(service), List.of());
  }

  /** Returns the Services that select a pod. */
  public List<Service> servicesOf(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    return Collections.unmodifiableList(state.podServices().getOrDefault(key(pod), List.of()));
  }

  /** Returns the names of nodes that run pods or are listed in {@link MeshConfig#nodes()}, sorted. */
  public SortedSet<String> nodes() {
    SortedSet<String> nodes = new TreeSet<>(state.podsByNode().keySet());
    nodes.addAll(state.config().nodes());
    return Collections.unmodifiableSortedSet(nodes);
  }

  /** Returns the pods scheduled on a node. */
  public List<Pod> podsOnNode(String node) {
    return Collections.unmodifiableList(state.podsByNode().getOrDefault(node, List.of()));
  }

  /**
   * Tells whether the node agent captures a pod: its own {@code istio.io/dataplane-mode} label beats its
   * namespace's, and waypoint instances are never captured.
   */
  public boolean enrolled(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    return enrolled(pod, namespaces);
  }

  static boolean enrolled(Pod pod, Map<String, Namespace> namespaces) {
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
    return Optional.ofNullable(state.serviceBindings().get(key(service)));
  }

  /** Returns the waypoint binding of a pod's workload traffic, ready or not; empty when none was asked for. */
  public Optional<WaypointBinding> waypointFor(Pod pod) {
    Objects.requireNonNull(pod, "pod");
    return Optional.ofNullable(state.podBindings().get(key(pod)));
  }

  /** Returns the waypoint a binding sends traffic through now: present only when the binding is ready. */
  public Optional<MeshWaypoint> readyWaypoint(Optional<WaypointBinding> binding) {
    return binding.filter(WaypointBinding::ready).map(b -> state.waypoints().get(b.waypointKey()));
  }

  /** Returns every binding (services first, then workloads), for {@code meshctl waypoint status}. */
  public List<WaypointBinding> bindings() {
    List<WaypointBinding> all = new ArrayList<>(state.serviceBindings().values());
    all.addAll(state.podBindings().values());
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
    return warnings;
  }

  /** Names the workload a pod belongs to, e.g. {@code Deployment reviews-v1}. */
  public record Owner(String kind, String name) {}
}
