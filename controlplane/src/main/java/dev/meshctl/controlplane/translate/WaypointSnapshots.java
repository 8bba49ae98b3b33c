package dev.meshctl.controlplane.translate;

import dev.meshctl.api.discovery.Resource;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.model.MeshWaypoint;
import dev.meshctl.controlplane.model.WaypointBinding;
import dev.meshctl.controlplane.push.Snapshot;
import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.PolicyTargetReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds each waypoint's snapshot: its Waypoint; the Services and workloads bound to it (bound whether or not
 * it is ready yet, so it has config before traffic arrives), their endpoints and its routes' backends; Routes
 * from HTTPRoutes attached to a bound Service or to its Gateway (for those, {@code parents} lists every
 * Service bound to the waypoint); and Authorizations from policies whose targetRefs name its Gateway, its
 * GatewayClass (from the root namespace) or a bound Service.
 */
final class WaypointSnapshots {
  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";
  private static final Set<String> CORE = Set.of("", "core");

  private final MeshModel model;
  private final Translator.Resources resources;
  private final AuthorizationTranslator authz;
  private final List<String> warnings;
  // waypoint key -> bound Service keys ("ns/name") / bound pods' keys
  private final Map<String, Set<String>> boundServices = new HashMap<>();
  private final Map<String, Set<String>> boundPods = new HashMap<>();
  // Service key ("ns/name") -> waypoint key, for accepted bindings
  private final Map<String, String> serviceWaypoint = new HashMap<>();

  WaypointSnapshots(MeshModel model, Translator.Resources resources, AuthorizationTranslator authz,
      List<String> warnings) {
    this.model = model;
    this.resources = resources;
    this.authz = authz;
    this.warnings = warnings;
    for (WaypointBinding b : model.bindings()) {
      if (!b.accepted()) {
        continue;
      }
      if (b.subject() == WaypointBinding.Subject.SERVICE) {
        boundServices.computeIfAbsent(b.waypointKey(), k -> new TreeSet<>()).add(b.subjectKey());
        serviceWaypoint.put(b.subjectKey(), b.waypointKey());
      } else {
        boundPods.computeIfAbsent(b.waypointKey(), k -> new TreeSet<>()).add(b.subjectKey());
      }
    }
  }

  /** Returns proxy key -> snapshot for every waypoint. */
  Map<String, Snapshot> build() {
    Map<String, Map<String, Set<String>>> policies = policiesByWaypoint();
    Map<String, Snapshot> out = new TreeMap<>();
    for (MeshWaypoint w : model.waypoints()) {
      Snapshot.Builder s = Snapshot.builder();
      TypeUrls.WAYPOINT_TYPES.forEach(s::type);
      s.add(resources.waypoints.get(w.key()));
      Set<String> services = new TreeSet<>(boundServices.getOrDefault(w.key(), Set.of()));
      Set<String> hostnames = new TreeSet<>();
      services.forEach(k -> hostnames.add(hostnameKey(k)));
      Set<String> backends = new TreeSet<>();
      for (HTTPRoute route : model.httpRoutes()) {
        Set<String> parents = parents(route, w, services, hostnames);
        if (!parents.isEmpty()) {
          var translated = new RouteTranslator(model.config(), warnings).translate(route, parents);
          translated.getRulesList().forEach(rule -> rule.getBackendsList().forEach(b -> backends.add(b.getService())));
          s.add(MeshModel.key(route), translated);
        }
      }
      Set<String> serviceNames = new TreeSet<>(hostnames);
      serviceNames.addAll(backends);
      Set<String> workloads = new TreeSet<>();
      for (String name : serviceNames) {
        Resource r = resources.services.get(name);
        if (r == null) {
          continue;
        }
        s.add(r);
        model.service(namespaceOf(name), serviceName(name)).ifPresent(svc ->
            model.podsSelectedBy(svc).forEach(p -> workloads.add(WorkloadTranslator.uid(p))));
      }
      for (String podKey : boundPods.getOrDefault(w.key(), Set.of())) {
        int slash = podKey.indexOf('/');
        workloads.add("Kubernetes//Pod/" + podKey.substring(0, slash) + "/" + podKey.substring(slash + 1));
      }
      workloads.stream().map(resources.workloads::get).filter(r -> r != null).forEach(s::add);
      policies.getOrDefault(w.key(), Map.of()).forEach((policyKey, targets) -> {
        AuthorizationPolicy p = policy(policyKey);
        authz.forWaypoint(p, targets).ifPresent(a -> s.add(a.getName(), a));
      });
      out.put(ProxyKeys.waypoint(w.namespace(), w.name()), s.build());
    }
    return out;
  }

  private Set<String> parents(HTTPRoute route, MeshWaypoint w, Set<String> services, Set<String> hostnames) {
    Set<String> out = new TreeSet<>();
    List<ParentReference> refs = route.getSpec() == null || route.getSpec().getParentRefs() == null ? List.of()
        : route.getSpec().getParentRefs();
    String routeNs = route.getMetadata().getNamespace();
    for (ParentReference ref : refs) {
      if (ref == null || ref.getName() == null) {
        continue;
      }
      String ns = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? routeNs : ref.getNamespace();
      String kind = ref.getKind() == null ? "Gateway" : ref.getKind();
      String group = ref.getGroup() == null ? GATEWAY_GROUP : ref.getGroup();
      String key = ns + "/" + ref.getName();
      if (kind.equals("Service") && CORE.contains(group) && services.contains(key)) {
        out.add(hostnameKey(key));
      } else if (kind.equals("Gateway") && group.equals(GATEWAY_GROUP) && key.equals(w.key())) {
        out.addAll(hostnames);
      }
    }
    return out;
  }

  // waypoint key -> policy key -> target Services ("ns/hostname"); an empty set means all its traffic.
  private Map<String, Map<String, Set<String>>> policiesByWaypoint() {
    Map<String, Map<String, Set<String>>> out = new HashMap<>();
    for (AuthorizationPolicy p : model.authorizationPolicies()) {
      if (p.getSpec() == null || p.getSpec().allTargetRefs().isEmpty()) {
        continue;
      }
      String policyNs = p.getMetadata().getNamespace();
      for (PolicyTargetReference ref : p.getSpec().allTargetRefs()) {
        if (ref == null || ref.name() == null) {
          continue;
        }
        String ns = ref.namespace() == null || ref.namespace().isEmpty() ? policyNs : ref.namespace();
        String kind = ref.kind() == null ? "" : ref.kind();
        String group = ref.group() == null ? "" : ref.group();
        String target = ns + "/" + ref.name();
        if (kind.equals("Gateway") && (group.equals(GATEWAY_GROUP) || group.isEmpty())) {
          if (model.waypoint(ns, ref.name()).isPresent()) {
            targetAll(out, target, p);
          } else {
            warn(p, "targets Gateway " + target + ", which is not a waypoint");
          }
        } else if (kind.equals("GatewayClass") && group.equals(GATEWAY_GROUP)
            && policyNs.equals(model.config().rootNamespace())) {
          model.waypoints().stream().filter(w -> ref.name().equals(gatewayClass(w)))
              .forEach(w -> targetAll(out, w.key(), p));
        } else if (kind.equals("Service") && CORE.contains(group)) {
          String waypoint = serviceWaypoint.get(target);
          if (waypoint == null) {
            warn(p, "targets Service " + target + ", which is not bound to a waypoint (label it "
                + "istio.io/use-waypoint)");
            continue;
          }
          Set<String> targets = out.computeIfAbsent(waypoint, k -> new TreeMap<>())
              .computeIfAbsent(MeshModel.key(p), k -> new TreeSet<>());
          if (!targets.contains("*")) {
            targets.add(hostnameKey(target));
          }
        } else {
          warn(p, "has a targetRef of kind " + kind + " (group \"" + group + "\"), which is not supported:"
              + " use a Gateway or a Service");
        }
      }
    }
    // "*" marked "all traffic" while collecting (and then is the only entry).
    out.values().forEach(m -> m.values().forEach(s -> s.remove("*")));
    return out;
  }

  private static void targetAll(Map<String, Map<String, Set<String>>> out, String waypoint, AuthorizationPolicy p) {
    Set<String> targets = out.computeIfAbsent(waypoint, k -> new TreeMap<>())
        .computeIfAbsent(MeshModel.key(p), k -> new TreeSet<>());
    targets.clear();
    targets.add("*");
  }

  private String gatewayClass(MeshWaypoint w) {
    return model.gateways().stream()
        .filter(g -> MeshModel.key(g).equals(w.key()))
        .map(Gateway::getSpec).filter(s -> s != null).map(s -> s.getGatewayClassName())
        .findFirst().orElse("");
  }

  private void warn(AuthorizationPolicy p, String what) {
    warnings.add("AuthorizationPolicy " + MeshModel.key(p) + " " + what + "; it is not enforced");
  }

  private AuthorizationPolicy policy(String key) {
    return model.authorizationPolicies().stream().filter(p -> MeshModel.key(p).equals(key)).findFirst()
        .orElseThrow(() -> new IllegalStateException("BUG: policy " + key + " vanished"));
  }

  private String hostnameKey(String serviceKey) {
    return namespaceOf(serviceKey) + "/" + model.config().hostname(namespaceOf(serviceKey), serviceName(serviceKey));
  }

  private static String namespaceOf(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  // Accepts "ns/name" or "ns/name.ns.svc.<domain>".
  private String serviceName(String key) {
    String rest = key.substring(key.indexOf('/') + 1);
    String suffix = "." + namespaceOf(key) + ".svc." + model.config().clusterDomain();
    return rest.endsWith(suffix) ? rest.substring(0, rest.length() - suffix.length()) : rest;
  }
}
