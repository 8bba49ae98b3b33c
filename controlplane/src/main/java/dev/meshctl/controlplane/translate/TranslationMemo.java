package dev.meshctl.controlplane.translate;

import dev.meshctl.api.discovery.Resource;
import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.model.MeshWaypoint;
import dev.meshctl.controlplane.push.Snapshot;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Remembers the previous translation's per-object resources and shared type sets, so that a translation after a
 * small change rebuilds (and re-hashes) only what the change can affect.
 *
 * <p>A result is reused only when every input it read is the same: the very same Kubernetes objects (sources
 * replace an object on update and the model never edits one, so identity means unchanged), and equal derived
 * inputs (owner, enrollment, ready waypoint, selecting policies, config). Each translation keeps only the
 * entries it used, so the memo never outgrows the mesh. Not thread-safe: {@link Translator} serializes its use.
 */
final class TranslationMemo {

  private Map<String, Memo> workloads = new HashMap<>();
  private Map<String, Memo> services = new HashMap<>();
  private Map<String, Memo> nextWorkloads = new HashMap<>();
  private Map<String, Memo> nextServices = new HashMap<>();
  private final Map<String, Snapshot.TypeResources> typeSets = new HashMap<>();
  private Map<Set<String>, Snapshot.TypeResources> policySets = new HashMap<>();
  private Map<Set<String>, Snapshot.TypeResources> nextPolicySets = new HashMap<>();

  /** Returns a pod's Workload resource, translating only when an input changed. */
  Resource workload(MeshModel model, Pod pod, List<Service> services, Set<String> policies, String uid) {
    MeshModel.Owner owner = model.owner(pod);
    boolean enrolled = model.enrolled(pod);
    Optional<MeshWaypoint> waypoint = enrolled ? model.readyWaypoint(model.waypointFor(pod)) : Optional.empty();
    Object[] objects = new Object[services.size() + 1];
    objects[0] = pod;
    for (int i = 0; i < services.size(); i++) {
      objects[i + 1] = services.get(i);
    }
    List<Object> derived = List.of(owner, enrolled, waypoint, policies, model.config());
    return remember(workloads, nextWorkloads, uid, objects, derived,
        () -> Snapshot.resource(uid, WorkloadTranslator.translate(model, pod, services, policies)));
  }

  /** Returns a Service's resource, translating only when an input changed. */
  Resource service(MeshModel model, Service service, String name) {
    Optional<MeshWaypoint> waypoint = model.readyWaypoint(model.waypointFor(service));
    MeshConfig config = model.config();
    return remember(services, nextServices, name, new Object[] {service}, List.of(waypoint, config),
        () -> Snapshot.resource(name, ServiceTranslator.translate(service, config, waypoint)));
  }

  /** Returns the previous shared set of a type when it holds exactly these resources, else a new one. */
  Snapshot.TypeResources typeSet(String typeUrl, Map<String, Resource> resources) {
    Snapshot.TypeResources previous = typeSets.get(typeUrl);
    if (previous != null && sameResources(previous.resources(), resources)) {
      return previous;
    }
    Snapshot.TypeResources next = Snapshot.typeResources(typeUrl, resources);
    typeSets.put(typeUrl, next);
    return next;
  }

  /** Returns a node agents' Authorization set for these names, reused from the previous translation if equal. */
  Snapshot.TypeResources policySet(String typeUrl, Set<String> names, Map<String, Resource> resources) {
    Snapshot.TypeResources set = nextPolicySets.get(names);
    if (set != null) {
      return set;
    }
    Snapshot.TypeResources previous = policySets.get(names);
    set = previous != null && sameResources(previous.resources(), resources) ? previous
        : Snapshot.typeResources(typeUrl, resources);
    nextPolicySets.put(names, set);
    return set;
  }

  /** Ends one translation: what it did not use is forgotten. */
  void finish() {
    workloads = nextWorkloads;
    services = nextServices;
    policySets = nextPolicySets;
    nextWorkloads = new HashMap<>();
    nextServices = new HashMap<>();
    nextPolicySets = new HashMap<>();
  }

  /** Forgets everything (after a failed translation, whose partial state must not be trusted). */
  void clear() {
    workloads.clear();
    services.clear();
    nextWorkloads.clear();
    nextServices.clear();
    typeSets.clear();
    policySets.clear();
    nextPolicySets.clear();
  }

  private static Resource remember(Map<String, Memo> previous, Map<String, Memo> next, String name, Object[] objects,
      List<Object> derived, Supplier<Resource> translate) {
    Memo memo = previous.get(name);
    if (memo == null || !memo.matches(objects, derived)) {
      memo = new Memo(objects, derived, translate.get());
    }
    next.put(name, memo);
    return memo.resource;
  }

  private static boolean sameResources(Map<String, Resource> previous, Map<String, Resource> current) {
    if (previous.size() != current.size()) {
      return false;
    }
    for (Map.Entry<String, Resource> e : current.entrySet()) {
      Resource r = previous.get(e.getKey());
      if (r != e.getValue() && (r == null || !r.getVersion().equals(e.getValue().getVersion()))) {
        return false;
      }
    }
    return true;
  }

  /** One translated object with the inputs it was translated from. */
  private record Memo(Object[] objects, List<Object> derived, Resource resource) {
    boolean matches(Object[] otherObjects, List<Object> otherDerived) {
      if (objects.length != otherObjects.length) {
        return false;
      }
      for (int i = 0; i < objects.length; i++) {
        if (objects[i] != otherObjects[i]) {
          return false;
        }
      }
      return Objects.equals(derived, otherDerived);
    }
  }
}
