package dev.meshctl.controlplane.push;

import dev.meshctl.api.discovery.DeltaDiscoveryRequest;
import dev.meshctl.api.discovery.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tracks one type URL on one stream and decides what to send next; no I/O.
 *
 * <p>{@code known} is what the proxy holds (its ACKed resources, or what it declared on
 * reconnect). At most one response is in flight; while it is, newer snapshots are not sent but are
 * picked up by the next {@link #nextDelta} after the ACK, so intermediate states coalesce. A
 * NACKed delta is remembered and not sent again until the snapshot yields a different one.
 *
 * <p>Once the proxy holds exactly one snapshot's map, the next delta is the diff of that map and the new one,
 * which {@link ResourceDiffs} computes once for every stream, instead of a scan of the whole map per proxy.
 */
final class TypeSubscription {

  /** Subscription name meaning "every resource of the type". */
  static final String WILDCARD = "*";

  /** What one response carries. */
  record Delta(List<Resource> resources, List<String> removed) {
    boolean isEmpty() {
      return resources.isEmpty() && removed.isEmpty();
    }

    /** Returns name -> version sent, with null for removed names. */
    Map<String, String> changes() {
      Map<String, String> m = new HashMap<>();
      resources.forEach(r -> m.put(r.getName(), r.getVersion()));
      removed.forEach(n -> m.put(n, null));
      return m;
    }
  }

  /** A response in flight; {@code target} is the map the proxy holds once it ACKs, null if unknown. */
  private record Pending(String nonce, Map<String, String> changes, String systemVersion,
      Map<String, Resource> target) {}

  private final String typeUrl;
  private final Map<String, String> known = new HashMap<>();
  private final Set<String> names = new HashSet<>();
  private boolean wildcard;
  private boolean started;
  private boolean responded;
  private Pending pending;
  private Map<String, String> rejected;
  private Map<String, Resource> syncedWith;
  private Map<String, Resource> offered;
  private String ackedVersion = "";
  private String lastNack = "";

  TypeSubscription(String typeUrl) {
    this.typeUrl = typeUrl;
  }

  String typeUrl() {
    return typeUrl;
  }

  /** Applies a request's subscription changes (and, on the first one, its initial versions). */
  void subscribe(DeltaDiscoveryRequest request) {
    if (!started) {
      started = true;
      known.putAll(request.getInitialResourceVersionsMap());
      if (request.getResourceNamesSubscribeList().isEmpty()) {
        wildcard = true;
      }
    }
    for (String name : request.getResourceNamesSubscribeList()) {
      if (WILDCARD.equals(name)) {
        wildcard = true;
      } else {
        names.add(name);
      }
    }
    for (String name : request.getResourceNamesUnsubscribeList()) {
      if (WILDCARD.equals(name)) {
        wildcard = false;
      } else {
        names.remove(name);
        known.remove(name);
      }
    }
    syncedWith = null;
    if (pending != null) {
      pending = new Pending(pending.nonce, pending.changes, pending.systemVersion, null);
    }
  }

  boolean awaitingAck() {
    return pending != null;
  }

  /**
   * Returns the delta that brings the proxy to {@code resources}, or null if nothing should be
   * sent now (a response is in flight, nothing changed, or only the rejected delta again).
   */
  Delta nextDelta(Map<String, Resource> resources) {
    return nextDelta(resources, null);
  }

  /** Returns {@link #nextDelta(Map)}, sharing the diff from the map the proxy holds through {@code diffs}. */
  Delta nextDelta(Map<String, Resource> resources, ResourceDiffs diffs) {
    if (pending != null || resources == syncedWith) {
      return null;
    }
    offered = resources;
    if (syncedWith != null && rejected == null && responded) {
      // known equals syncedWith (restricted to the subscribed names), so the maps' diff is the delta
      ResourceDiffs.Diff diff = diffs == null ? ResourceDiffs.compute(syncedWith, resources)
          : diffs.diff(syncedWith, resources);
      List<Resource> changed = wildcard ? diff.changed()
          : diff.changed().stream().filter(r -> subscribed(r.getName())).toList();
      List<String> removed = wildcard ? diff.removed() : diff.removed().stream().filter(this::subscribed).toList();
      Delta delta = new Delta(changed, removed);
      if (delta.isEmpty()) {
        syncedWith = resources;
        return null;
      }
      return delta;
    }
    List<Resource> changed = new ArrayList<>();
    for (Map.Entry<String, Resource> e : resources.entrySet()) {
      if (subscribed(e.getKey()) && !e.getValue().getVersion().equals(known.get(e.getKey()))) {
        changed.add(e.getValue());
      }
    }
    List<String> removed = new ArrayList<>();
    for (String name : known.keySet()) {
      if (!resources.containsKey(name) || !subscribed(name)) {
        removed.add(name);
      }
    }
    Delta delta = new Delta(changed, removed);
    if (delta.isEmpty() && responded) {
      syncedWith = resources;
      return null;
    }
    if (rejected != null && rejected.equals(delta.changes())) {
      return null;
    }
    return delta;
  }

  /** Records that a response carrying {@code delta} went out. */
  void sent(String nonce, Delta delta, String systemVersion) {
    pending = new Pending(nonce, delta.changes(), systemVersion, offered);
    responded = true;
  }

  /** Applies an ACK; returns false for a stale or unknown nonce. */
  boolean ack(String nonce) {
    if (pending == null || !pending.nonce.equals(nonce)) {
      return false;
    }
    pending.changes.forEach((name, version) -> {
      if (version == null) {
        known.remove(name);
      } else {
        known.put(name, version);
      }
    });
    ackedVersion = pending.systemVersion;
    // the delta brought the proxy exactly to the map it was computed from (unless subscriptions changed since)
    syncedWith = pending.target;
    rejected = null;
    pending = null;
    return true;
  }

  /** Applies a NACK: the proxy keeps what it had. Returns false for a stale or unknown nonce. */
  boolean nack(String nonce, String message) {
    if (pending == null || !pending.nonce.equals(nonce)) {
      return false;
    }
    rejected = pending.changes;
    lastNack = message;
    pending = null;
    return true;
  }

  ProxyStatus.TypeStatus status() {
    return new ProxyStatus.TypeStatus(ackedVersion, pending == null ? "" : pending.nonce, lastNack, known.size());
  }

  /** Returns a copy of what the proxy holds, name -> version. */
  Map<String, String> known() {
    return new LinkedHashMap<>(known);
  }

  private boolean subscribed(String name) {
    return wildcard || names.contains(name);
  }
}
