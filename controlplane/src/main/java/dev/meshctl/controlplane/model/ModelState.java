package dev.meshctl.controlplane.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds every index of one {@link MeshModel}; never modified after it is made, so the next model shares what did
 * not change.
 *
 * @param ids the filed input instances, for the next diff
 * @param objects the objects by kind, each sorted by {@code namespace/name} (Namespaces by name)
 * @param podsByNode node -> its pods
 * @param servicePods Service key -> the pods it selects (absent when none)
 * @param podServices pod key -> the Services that select it (absent when none)
 * @param waypoints "ns/name" -> waypoint, sorted
 * @param bySa "ns/serviceAccount" -> per-service-account waypoint
 * @param otherGateways "ns/name" -> gateway class of Gateways that are not waypoints
 * @param serviceBindings Service key -> binding
 * @param podBindings pod key -> binding (enrolled pods only)
 * @param inputWarnings problems with input objects, in list order
 * @param waypointWarnings problems with waypoints
 */
record ModelState(
    MeshConfig config,
    IdentityHashMap<HasMetadata, ObjectDiff.Ref> ids,
    EnumMap<ObjectKind, SortedShards<HasMetadata>> objects,
    PodIndex podIndex,
    HashShards<List<Pod>> podsByNode,
    HashShards<List<Pod>> servicePods,
    HashShards<List<Service>> podServices,
    Map<String, MeshWaypoint> waypoints,
    Map<String, MeshWaypoint> bySa,
    Map<String, String> otherGateways,
    SortedShards<WaypointBinding> serviceBindings,
    SortedShards<WaypointBinding> podBindings,
    List<String> inputWarnings,
    List<String> waypointWarnings) {

  /** Returns the state of a model without objects. */
  static ModelState empty(MeshConfig config) {
    EnumMap<ObjectKind, SortedShards<HasMetadata>> objects = new EnumMap<>(ObjectKind.class);
    for (ObjectKind k : ObjectKind.values()) {
      objects.put(k, SortedShards.empty());
    }
    return new ModelState(config, new IdentityHashMap<>(), objects, PodIndex.EMPTY, HashShards.empty(),
        HashShards.empty(), HashShards.empty(), Map.of(), Map.of(), Map.of(), SortedShards.empty(),
        SortedShards.empty(), List.of(), List.of());
  }

  /** Returns the objects of one kind, typed. */
  @SuppressWarnings("unchecked")
  <T> SortedShards<T> of(ObjectKind kind) {
    return (SortedShards<T>) objects.get(kind);
  }
}
