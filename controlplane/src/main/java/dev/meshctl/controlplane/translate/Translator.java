package dev.meshctl.controlplane.translate;

import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.Waypoint;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.model.MeshWaypoint;
import dev.meshctl.controlplane.model.Pods;
import dev.meshctl.controlplane.push.Snapshot;
import dev.meshctl.objects.istio.AuthorizationPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a {@link MeshModel} into one {@link Snapshot} per proxy. Pure: no I/O, equal input gives equal
 * snapshots.
 *
 * <p>Every node agent gets all Workloads, Services and Waypoints (it routes to any destination) and only the
 * Authorizations that can apply to pods on its node. Those shared sets are built once and held, not copied,
 * by every node's snapshot. Each waypoint gets what is bound to it; see {@link WaypointSnapshots}.
 *
 * <p>Incremental: a translator remembers its previous translation and reuses each Workload and Service whose
 * inputs are unchanged, and each shared set whose resources are unchanged, so a translation after a small change
 * costs little more than indexing. The result is the same as a fresh translator's. Thread-safe (translations
 * run one at a time).
 *
 * <pre>{@code
 * Translation t = new Translator().translate(MeshModel.of(objects, MeshConfig.defaults()));
 * t.snapshots().forEach(cache::set);
 * t.warnings().forEach(log::warn);
 * }</pre>
 */
public final class Translator {

  private final TranslationMemo memo = new TranslationMemo();

  /** Translates the model. */
  public synchronized Translation translate(MeshModel model) {
    Objects.requireNonNull(model, "model");
    try {
      Translation t = translate(model, memo);
      memo.finish();
      return t;
    } catch (RuntimeException | Error e) {
      memo.clear();
      throw e;
    }
  }

  private static Translation translate(MeshModel model, TranslationMemo memo) {
    List<String> warnings = new ArrayList<>(model.warnings());
    Resources r = new Resources();

    // Services with addresses, by identity: every pod's Workload lists those that select it.
    Set<Service> addressed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Service s : model.services()) {
      if (!ServiceTranslator.addresses(s).isEmpty()) {
        addressed.add(s);
        String name = ServiceTranslator.key(s, model.config());
        r.services.put(name, memo.service(model, s, name));
      }
    }

    // Node-agent Authorizations, and which pods each can apply to.
    AuthorizationTranslator authz = new AuthorizationTranslator(model.config(), warnings);
    List<Authorization> nodePolicies = new ArrayList<>();
    for (AuthorizationPolicy p : model.authorizationPolicies()) {
      if (p.getSpec() == null || p.getSpec().allTargetRefs().isEmpty()) {
        authz.forNodeAgent(p).ifPresent(nodePolicies::add);
      }
    }
    nodePolicies.addAll(new PeerAuthenticationTranslator(model, warnings).translate());
    Map<String, List<String>> selectingPolicies = new HashMap<>();
    Set<String> globalPolicies = new TreeSet<>();
    Map<String, Set<String>> policiesByNode = new HashMap<>();
    for (Authorization a : nodePolicies) {
      r.authorizations.put(a.getName(), Snapshot.resource(a.getName(), a));
      if (a.getScope() == Scope.GLOBAL) {
        globalPolicies.add(a.getName());
        continue;
      }
      List<Pod> pods = a.getScope() == Scope.NAMESPACE ? model.pods(a.getNamespace())
          : model.podsMatching(a.getNamespace(), a.getSelectorMap());
      for (Pod pod : pods) {
        policiesByNode.computeIfAbsent(Pods.node(pod), n -> new TreeSet<>()).add(a.getName());
        if (a.getScope() == Scope.WORKLOAD_SELECTOR) {
          selectingPolicies.computeIfAbsent(MeshModel.key(pod), k -> new ArrayList<>()).add(a.getName());
        }
      }
    }

    // Runs for every pod on every change: no streams, and no copies where nothing is filtered out.
    for (Pod pod : model.pods()) {
      if (!Pods.hasAddress(pod)) {
        continue;
      }
      List<Service> services = addressedOnly(model.servicesOf(pod), addressed);
      List<String> selecting = selectingPolicies.isEmpty() ? null : selectingPolicies.get(MeshModel.key(pod));
      Set<String> policies = selecting == null ? Set.of() : new TreeSet<>(selecting);
      String uid = WorkloadTranslator.uid(pod);
      r.workloads.put(uid, memo.workload(model, pod, services, policies, uid));
    }

    for (MeshWaypoint w : model.waypoints()) {
      r.waypoints.put(w.key(), Snapshot.resource(w.key(), waypoint(w)));
    }

    Map<String, Snapshot> snapshots = new TreeMap<>();
    Snapshot.TypeResources workloads = memo.typeSet(TypeUrls.WORKLOAD, r.workloads);
    Snapshot.TypeResources services = memo.typeSet(TypeUrls.SERVICE, r.services);
    Snapshot.TypeResources waypoints = memo.typeSet(TypeUrls.WAYPOINT, r.waypoints);
    // Nodes that run pods of the same namespaces often need the same policies: share those sets too.
    for (String node : model.nodes()) {
      Set<String> names = new TreeSet<>(globalPolicies);
      names.addAll(policiesByNode.getOrDefault(node, Set.of()));
      Snapshot.TypeResources policies = memo.policySet(TypeUrls.AUTHORIZATION, names,
          select(r.authorizations, names));
      snapshots.put(ProxyKeys.nodeAgent(node), Snapshot.builder()
          .type(workloads).type(services).type(waypoints).type(policies).build());
    }

    snapshots.putAll(new WaypointSnapshots(model, r, authz, warnings).build());
    return new Translation(Collections.unmodifiableMap(snapshots), List.copyOf(new LinkedHashSet<>(warnings)),
        model.bindings());
  }

  private static Waypoint waypoint(MeshWaypoint w) {
    return Waypoint.newBuilder()
        .setName(w.name())
        .setNamespace(w.namespace())
        .addAllAddresses(w.instanceAddresses())
        .setHbonePort(w.hbonePort())
        .setIdentity(w.identity())
        .setWaypointFor(switch (w.waypointFor()) {
          case SERVICE -> Waypoint.TrafficType.SERVICE;
          case WORKLOAD -> Waypoint.TrafficType.WORKLOAD;
          case ALL -> Waypoint.TrafficType.ALL;
          case NONE -> Waypoint.TrafficType.NONE;
        })
        .setServiceAccount(w.serviceAccount())
        .setReady(w.ready())
        .build();
  }

  private static List<Service> addressedOnly(List<Service> services, Set<Service> addressed) {
    for (Service s : services) {
      if (!addressed.contains(s)) {
        return services.stream().filter(addressed::contains).toList();
      }
    }
    return services;
  }

  private static Map<String, Resource> select(Map<String, Resource> all, Collection<String> names) {
    Map<String, Resource> out = new HashMap<>();
    names.forEach(n -> out.put(n, all.get(n)));
    return out;
  }

  /** The translated resources by name, shared by node and waypoint snapshots; read by name, never in order. */
  static final class Resources {
    final Map<String, Resource> workloads = new HashMap<>();
    final Map<String, Resource> services = new TreeMap<>();
    final Map<String, Resource> authorizations = new TreeMap<>();
    final Map<String, Resource> waypoints = new TreeMap<>();
  }
}
