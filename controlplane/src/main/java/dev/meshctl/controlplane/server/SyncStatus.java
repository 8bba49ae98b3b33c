package dev.meshctl.controlplane.server;

import dev.meshctl.controlplane.push.ProxyStatus;
import dev.meshctl.controlplane.push.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reports, per proxy, whether it has acknowledged its current snapshot (SYNCED), has not yet (STALE), rejected it
 * (NACKED), or is not connected at all (NOT CONNECTED), as {@code istioctl proxy-status} does.
 */
record SyncStatus(long generation, String lastError, List<Proxy> proxies) {

  /** Reports one proxy key. */
  record Proxy(String key, String node, String state, String connectedSince, Map<String, String> types) {}

  static SyncStatus of(ControlPlane cp) {
    List<Proxy> proxies = new ArrayList<>();
    List<ProxyStatus> connected = cp.discovery() == null ? List.of() : cp.discovery().proxyStatuses();
    for (String key : new java.util.TreeSet<>(cp.proxyKeys())) {
      Optional<Snapshot> snapshot = cp.cache().get(key);
      Optional<ProxyStatus> status = connected.stream().filter(s -> s.proxyKey().equals(key)).reduce((a, b) -> b);
      if (status.isEmpty()) {
        proxies.add(new Proxy(key, "", "NOT CONNECTED", "", Map.of()));
        continue;
      }
      Map<String, String> types = new TreeMap<>();
      String state = "SYNCED";
      for (var e : status.get().types().entrySet()) {
        ProxyStatus.TypeStatus t = e.getValue();
        String typeState;
        if (t.lastNack() != null && !t.lastNack().isEmpty()) {
          typeState = "NACKED: " + t.lastNack();
          state = "NACKED";
        } else if (t.pendingNonce() != null && !t.pendingNonce().isEmpty()) {
          typeState = "STALE (waiting for ACK)";
          if (!"NACKED".equals(state)) {
            state = "STALE";
          }
        } else {
          typeState = "SYNCED (" + t.resources() + " resources)";
        }
        types.put(shortType(e.getKey()), typeState);
      }
      if (snapshot.isEmpty()) {
        state = "NO SNAPSHOT";
      }
      proxies.add(new Proxy(key, status.get().nodeName(), state, String.valueOf(status.get().connectedSince()),
          types));
    }
    return new SyncStatus(cp.generation(), cp.lastError(), proxies);
  }

  private static String shortType(String typeUrl) {
    int dot = typeUrl.lastIndexOf('.');
    return dot < 0 ? typeUrl : typeUrl.substring(dot + 1);
  }
}
