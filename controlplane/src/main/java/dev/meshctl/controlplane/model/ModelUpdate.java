package dev.meshctl.controlplane.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives the next model's indexes from the previous model's and a diff of the objects: only the entries the
 * changed objects can affect are recomputed, and every other shard and list is shared.
 *
 * <p>What a change affects: a pod, the Services whose selectors match its old or new labels (their selections,
 * and so their bindings); a Service, its selection and binding; a Namespace, the bindings and enrollment of
 * everything in it; a Gateway or a waypoint's pod or Service, the waypoints, and when those differ, every binding.
 * Many changes at once (a first build, a relist) rebuild every derived index instead.
 */
final class ModelUpdate {
  /** A change touching more objects than this (and more than 1/16 of them) rebuilds the derived indexes. */
  private static final int MAX_INCREMENTAL = 256;

  private final ModelState previous;
  private final ObjectDiff diff;
  private final MeshConfig config;
  private final EnumMap<ObjectKind, SortedShards<HasMetadata>> objects;
  private final SortedShards<Namespace> namespaces;
  private final SortedShards<Pod> pods;
  private final SortedShards<Service> services;
  private final List<Change<Pod>> podChanges = new ArrayList<>();

  private ModelUpdate(ModelState previous, ObjectDiff diff) {
    this.previous = previous;
    this.diff = diff;
    this.config = previous.config();
    this.objects = new EnumMap<>(previous.objects());
    for (ObjectKind kind : ObjectKind.values()) {
      if (diff.changed(kind)) {
        objects.put(kind, objects.get(kind).with(diff.changes(kind)));
      }
    }
    this.namespaces = typed(ObjectKind.NAMESPACE);
    this.pods = typed(ObjectKind.POD);
    this.services = typed(ObjectKind.SERVICE);
    SortedShards<Pod> before = previous.of(ObjectKind.POD);
    diff.changes(ObjectKind.POD).forEach((k, after) -> podChanges.add(new Change<>(k, before.get(k), (Pod) after)));
  }

  /** Returns the state for {@code objects}, given the previous model's. */
  static ModelState apply(ModelState previous, Collection<? extends HasMetadata> objects) {
    ObjectDiff diff = ObjectDiff.of(previous.ids(), previous.objects(), objects);
    if (diff.count() == 0 && diff.warnings().equals(previous.inputWarnings())) {
      return new ModelState(previous.config(), diff.ids(), previous.objects(), previous.podIndex(),
          previous.podsByNode(), previous.servicePods(), previous.podServices(), previous.waypoints(),
          previous.bySa(), previous.otherGateways(), previous.serviceBindings(), previous.podBindings(),
          previous.inputWarnings(), previous.waypointWarnings());
    }
    return new ModelUpdate(previous, diff).build();
  }

  private ModelState build() {
    int total = objects.values().stream().mapToInt(Map::size).sum();
    boolean full = diff.count() > MAX_INCREMENTAL && diff.count() > total / 16;
    PodIndex podIndex;
    HashShards<List<Pod>> podsByNode;
    HashShards<List<Pod>> servicePods;
    HashShards<List<Service>> podServices;
    // Services whose selection or selected pods may differ: their service-account binding may too.
    Set<String> affected = new TreeSet<>(diff.changes(ObjectKind.SERVICE).keySet());
    if (full) {
      podIndex = PodIndex.of(pods.values());
      Map<String, List<Pod>> byNode = new HashMap<>();
      pods.values().forEach(p -> byNode.computeIfAbsent(Pods.node(p), n -> new ArrayList<>()).add(p));
      byNode.remove("");
      byNode.replaceAll((k, v) -> Collections.unmodifiableList(v));
      podsByNode = HashShards.of(byNode);
      Map<String, List<Pod>> selected = new HashMap<>();
      Map<String, List<Service>> selecting = new HashMap<>();
      services.forEach((k, s) -> {
        List<Pod> sel = select(podIndex, s);
        if (!sel.isEmpty()) {
          selected.put(k, sel);
          sel.forEach(p -> selecting.computeIfAbsent(MeshModel.key(p), x -> new ArrayList<>()).add(s));
        }
      });
      selecting.replaceAll((k, v) -> Collections.unmodifiableList(v));
      servicePods = HashShards.of(selected);
      podServices = HashShards.of(selecting);
    } else {
      podIndex = previous.podIndex().with(podChanges);
      SortedLists<Pod> byNode = new SortedLists<>(previous.podsByNode());
      for (Change<Pod> c : podChanges) {
        if (c.before() != null && !Pods.node(c.before()).isEmpty()) {
          byNode.remove(Pods.node(c.before()), c.key());
        }
        if (c.after() != null && !Pods.node(c.after()).isEmpty()) {
          byNode.put(Pods.node(c.after()), c.after());
        }
      }
      podsByNode = previous.podsByNode().with(byNode.changes());
      for (Change<Pod> c : podChanges) {
        for (Pod p : new Pod[] {c.before(), c.after()}) {
          if (p != null) {
            Map<String, String> labels = Pods.labels(p);
            services.forEachWithPrefix(p.getMetadata().getNamespace() + "/", (k, s) -> {
              Map<String, String> selector = selector(s);
              if (!selector.isEmpty() && Pods.matches(selector, labels)) {
                affected.add(k);
              }
            });
          }
        }
      }
      Map<String, List<Pod>> selected = new HashMap<>();
      SortedLists<Service> selecting = new SortedLists<>(previous.podServices());
      for (String k : affected) {
        List<Pod> before = previous.servicePods().getOrDefault(k, List.of());
        Service s = services.get(k);
        List<Pod> after = s == null ? List.of() : select(podIndex, s);
        selected.put(k, after.isEmpty() ? null : after);
        before.forEach(p -> selecting.remove(MeshModel.key(p), k));
        after.forEach(p -> selecting.put(MeshModel.key(p), s));
      }
      servicePods = previous.servicePods().with(selected);
      podServices = previous.podServices().with(selecting.changes());
    }

    List<String> waypointWarnings = new ArrayList<>();
    Map<String, MeshWaypoint> waypoints = Collections.unmodifiableMap(
        new Waypoints(config, typed(ObjectKind.GATEWAY), podIndex, services, waypointWarnings).build());
    Map<String, MeshWaypoint> bySa = new TreeMap<>();
    Map<String, String> otherGateways = new HashMap<>();
    SortedShards<Gateway> gateways = typed(ObjectKind.GATEWAY);
    gateways.forEach((k, g) -> {
      if (!waypoints.containsKey(k)) {
        otherGateways.put(k, g.getSpec() == null ? "" : String.valueOf(g.getSpec().getGatewayClassName()));
      }
    });
    for (MeshWaypoint w : waypoints.values()) {
      if (w.perServiceAccount()) {
        MeshWaypoint earlier = bySa.putIfAbsent(w.namespace() + "/" + w.serviceAccount(), w);
        if (earlier != null) {
          waypointWarnings.add("waypoints " + earlier.key() + " and " + w.key() + " both serve service account "
              + w.serviceAccount() + "; using " + earlier.key() + ": remove one");
        }
      }
    }

    WaypointBinder binder = new WaypointBinder(namespaces, otherGateways, waypoints, bySa);
    SortedShards<WaypointBinding> serviceBindings;
    SortedShards<WaypointBinding> podBindings;
    boolean allBindings = full || !waypoints.equals(previous.waypoints()) || !bySa.equals(previous.bySa())
        || !otherGateways.equals(previous.otherGateways());
    if (allBindings) {
      TreeMap<String, WaypointBinding> s = new TreeMap<>();
      services.forEach((k, svc) -> binder.forService(svc, servicePods.getOrDefault(k, List.of()))
          .ifPresent(b -> s.put(k, b)));
      TreeMap<String, WaypointBinding> p = new TreeMap<>();
      pods.forEach((k, pod) -> {
        if (MeshModel.enrolled(pod, namespaces)) {
          binder.forPod(pod).ifPresent(b -> p.put(k, b));
        }
      });
      serviceBindings = SortedShards.<WaypointBinding>empty().with(s);
      podBindings = SortedShards.<WaypointBinding>empty().with(p);
    } else {
      Set<String> serviceKeys = new TreeSet<>(diff.changes(ObjectKind.SERVICE).keySet());
      serviceKeys.addAll(affected);
      Set<String> podKeys = new TreeSet<>(diff.changes(ObjectKind.POD).keySet());
      for (String ns : diff.changes(ObjectKind.NAMESPACE).keySet()) {
        services.forEachWithPrefix(ns + "/", (k, s) -> serviceKeys.add(k));
        pods.forEachWithPrefix(ns + "/", (k, p) -> podKeys.add(k));
      }
      TreeMap<String, WaypointBinding> s = new TreeMap<>();
      for (String k : serviceKeys) {
        Service svc = services.get(k);
        s.put(k, svc == null ? null
            : binder.forService(svc, servicePods.getOrDefault(k, List.of())).orElse(null));
      }
      TreeMap<String, WaypointBinding> p = new TreeMap<>();
      for (String k : podKeys) {
        Pod pod = pods.get(k);
        p.put(k, pod == null || !MeshModel.enrolled(pod, namespaces) ? null : binder.forPod(pod).orElse(null));
      }
      serviceBindings = previous.serviceBindings().with(unchangedDropped(s, previous.serviceBindings()));
      podBindings = previous.podBindings().with(unchangedDropped(p, previous.podBindings()));
    }
    return new ModelState(config, diff.ids(), objects, podIndex, podsByNode, servicePods, podServices, waypoints,
        Collections.unmodifiableMap(bySa), Collections.unmodifiableMap(otherGateways), serviceBindings, podBindings,
        List.copyOf(diff.warnings()), List.copyOf(waypointWarnings));
  }

  // Keeps the previous binding object where an equal one was recomputed, so unchanged shards stay shared.
  private static SortedMap<String, WaypointBinding> unchangedDropped(TreeMap<String, WaypointBinding> next,
      Map<String, WaypointBinding> previous) {
    next.entrySet().removeIf(e -> Objects.equals(e.getValue(), previous.get(e.getKey())));
    return next;
  }

  private static List<Pod> select(PodIndex index, Service s) {
    Map<String, String> selector = selector(s);
    return selector.isEmpty() ? List.of()
        : Collections.unmodifiableList(index.select(s.getMetadata().getNamespace(), selector));
  }

  private static Map<String, String> selector(Service s) {
    Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
    return selector == null ? Map.of() : selector;
  }

  @SuppressWarnings("unchecked")
  private <T> SortedShards<T> typed(ObjectKind kind) {
    return (SortedShards<T>) objects.get(kind);
  }
}
