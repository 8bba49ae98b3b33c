package dev.meshctl.controlplane.translate;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.StringMatch;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.model.Pods;
import dev.meshctl.objects.istio.PeerAuthentication;
import dev.meshctl.objects.istio.PeerAuthenticationSpec;
import dev.meshctl.objects.istio.PeerAuthenticationSpec.Mode;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Translates PeerAuthentications into DENY Authorizations the node agent enforces, as ztunnel does.
 *
 * <p>Each PeerAuthentication that makes some ports STRICT becomes {@code converted/<ns>/<name>}: a DENY of
 * connections with no peer identity ({@code not_principals: [presence]}) on those ports. The most specific
 * PeerAuthentication decides for a pod (selector, then namespace, then mesh; UNSET inherits; among several,
 * the oldest wins). A broader STRICT deny must not override a narrower PERMISSIVE one, so it leaves out,
 * by {@code not_destination_ips}, every pod whose own effective setting accepts plaintext somewhere it
 * would deny.
 */
final class PeerAuthenticationTranslator {
  private static final Comparator<PeerAuthentication> OLDEST_FIRST = Comparator
      .comparing((PeerAuthentication p) -> p.getMetadata().getCreationTimestamp() == null ? ""
          : p.getMetadata().getCreationTimestamp())
      .thenComparing(p -> p.getMetadata().getName());

  private final MeshModel model;
  private final List<String> warnings;

  PeerAuthenticationTranslator(MeshModel model, List<String> warnings) {
    this.model = model;
    this.warnings = warnings;
  }

  /** Returns the converted Authorizations, sorted by name. */
  List<Authorization> translate() {
    String root = model.config().rootNamespace();
    PeerAuthentication mesh = null;
    Map<String, PeerAuthentication> byNamespace = new TreeMap<>();
    Map<String, List<PeerAuthentication>> selectors = new TreeMap<>();
    List<PeerAuthentication> sorted = new ArrayList<>(model.peerAuthentications());
    sorted.sort(OLDEST_FIRST);
    for (PeerAuthentication pa : sorted) {
      String ns = pa.getMetadata().getNamespace();
      if (!selector(pa).isEmpty()) {
        selectors.computeIfAbsent(ns, k -> new ArrayList<>()).add(pa);
      } else if (ns.equals(root)) {
        mesh = keepOldest(mesh, pa, "mesh");
      } else {
        byNamespace.put(ns, keepOldest(byNamespace.get(ns), pa, "namespace " + ns));
      }
    }
    Mode meshMode = inherit(mode(mesh), Mode.PERMISSIVE);

    // Each pod's effective plaintext-denied ports, and the selector PeerAuthentication that decided them.
    Map<String, DenySet> effective = new HashMap<>();
    boolean anyPeerAuthentication = mesh != null || !byNamespace.isEmpty() || !selectors.isEmpty();
    // Without any PeerAuthentication nothing below reads it: skip a walk over every pod.
    for (Pod pod : anyPeerAuthentication ? model.pods() : List.<Pod>of()) {
      String ns = pod.getMetadata().getNamespace();
      Mode nsMode = inherit(mode(byNamespace.get(ns)), meshMode);
      PeerAuthentication own = chosenSelector(selectors.getOrDefault(ns, List.of()), pod);
      effective.put(MeshModel.key(pod), own == null ? DenySet.of(nsMode, Map.of()) : denySet(own, nsMode));
    }

    List<Authorization> out = new ArrayList<>();
    if (mesh != null) {
      emit(mesh, Scope.GLOBAL, DenySet.of(meshMode, Map.of()), model.pods(), effective, out);
    }
    for (PeerAuthentication pa : byNamespace.values()) {
      String ns = pa.getMetadata().getNamespace();
      if (mode(pa) != Mode.UNSET) {
        emit(pa, Scope.NAMESPACE, DenySet.of(inherit(mode(pa), meshMode), Map.of()), model.pods(ns), effective, out);
      }
    }
    for (List<PeerAuthentication> list : selectors.values()) {
      for (PeerAuthentication pa : list) {
        String ns = pa.getMetadata().getNamespace();
        Mode nsMode = inherit(mode(byNamespace.get(ns)), meshMode);
        emit(pa, Scope.WORKLOAD_SELECTOR, denySet(pa, nsMode), model.podsMatching(ns, selector(pa)), effective, out);
      }
    }
    out.sort(Comparator.comparing(Authorization::getName));
    return out;
  }

  private void emit(PeerAuthentication pa, Scope scope, DenySet deny, Iterable<Pod> covered,
      Map<String, DenySet> effective, List<Authorization> out) {
    if (deny.isEmpty()) {
      return;
    }
    Set<String> excluded = new TreeSet<>();
    for (Pod pod : covered) {
      if (!deny.within(effective.get(MeshModel.key(pod)))) {
        Pods.addresses(pod).forEach(excluded::add);
      }
    }
    Match.Builder m = Match.newBuilder().addNotPrincipals(StringMatch.newBuilder().setPresence(true));
    if (deny.allExcept) {
      m.addAllNotDestinationPorts(deny.ports);
    } else {
      m.addAllDestinationPorts(deny.ports);
    }
    excluded.forEach(ip -> Matchers.cidr(ip).ifPresent(m::addNotDestinationIps));
    String ns = pa.getMetadata().getNamespace();
    out.add(Authorization.newBuilder()
        .setName("converted/" + ns + "/" + pa.getMetadata().getName())
        .setNamespace(ns)
        .setScope(scope)
        .putAllSelector(scope == Scope.WORKLOAD_SELECTOR ? selector(pa) : Map.of())
        .setAction(Action.DENY)
        .addRules(Rules.newBuilder().addMatches(Clause.newBuilder().addMatches(m)))
        .build());
  }

  private DenySet denySet(PeerAuthentication pa, Mode inherited) {
    Mode workload = inherit(mode(pa), inherited);
    Map<Integer, Mode> ports = new TreeMap<>();
    pa.getSpec().portLevelMtls().forEach((port, mtls) -> {
      Optional<Integer> p = Matchers.port(port);
      if (p.isEmpty()) {
        warnings.add("PeerAuthentication " + MeshModel.key(pa) + ": portLevelMtls key " + port
            + " is not a port number; ignored");
      } else {
        ports.put(p.get(), inherit(mtls == null ? Mode.UNSET : mtls.effectiveMode(), workload));
      }
    });
    return DenySet.of(workload, ports);
  }

  private static PeerAuthentication chosenSelector(List<PeerAuthentication> candidates, Pod pod) {
    for (PeerAuthentication pa : candidates) {
      if (Pods.matches(selector(pa), Pods.labels(pod))) {
        return pa;
      }
    }
    return null;
  }

  private PeerAuthentication keepOldest(PeerAuthentication kept, PeerAuthentication next, String level) {
    if (kept == null) {
      return next;
    }
    warnings.add("PeerAuthentications " + MeshModel.key(kept) + " and " + MeshModel.key(next) + " both apply to the "
        + level + "; the older, " + MeshModel.key(kept) + ", wins: delete the other");
    return kept;
  }

  private static Map<String, String> selector(PeerAuthentication pa) {
    PeerAuthenticationSpec spec = pa.getSpec();
    return spec == null || spec.selector() == null ? Map.of() : spec.selector().matchLabels();
  }

  private static Mode mode(PeerAuthentication pa) {
    if (pa == null || pa.getSpec() == null || pa.getSpec().mtls() == null) {
      return Mode.UNSET;
    }
    return pa.getSpec().mtls().effectiveMode();
  }

  private static Mode inherit(Mode mode, Mode parent) {
    return mode == Mode.UNSET ? parent : mode;
  }

  /** The ports on which plaintext is denied: all except {@code ports}, or only {@code ports}. */
  record DenySet(boolean allExcept, Set<Integer> ports) {

    static DenySet of(Mode workload, Map<Integer, Mode> portModes) {
      boolean strict = workload == Mode.STRICT;
      Set<Integer> ports = new TreeSet<>();
      portModes.forEach((port, mode) -> {
        if ((mode == Mode.STRICT) != strict) {
          ports.add(port);
        }
      });
      return new DenySet(strict, ports);
    }

    boolean isEmpty() {
      return !allExcept && ports.isEmpty();
    }

    /** Tells whether every port this denies is denied by {@code other} too. */
    boolean within(DenySet other) {
      if (allExcept) {
        return other.allExcept && ports.containsAll(other.ports);
      }
      if (other.allExcept) {
        return ports.stream().noneMatch(other.ports::contains);
      }
      return other.ports.containsAll(ports);
    }
  }
}
