package dev.meshctl.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshctl.lab.ComponentHost;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the control plane's {@code /debug/syncz}: per proxy key, whether it acknowledged its current config. */
record SyncView(boolean reachable, String error, String lastError, Map<String, String> states) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static SyncView fetch(ComponentHost host) {
    ComponentHost.ExecResult r = host.exec(ComponentHost.CONTROL_PLANE, List.of("curl", "-sf", "--max-time", "3",
        "http://127.0.0.1:" + Installer.DEBUG_PORT + "/debug/syncz"));
    if (!r.ok()) {
      return new SyncView(false, "control plane debug endpoint unreachable (curl exit " + r.exitCode() + ")", "",
          Map.of());
    }
    try {
      JsonNode root = JSON.readTree(r.stdout());
      Map<String, String> states = new HashMap<>();
      for (JsonNode p : root.path("proxies")) {
        states.put(p.path("key").asText(), p.path("state").asText());
      }
      return new SyncView(true, "", root.path("lastError").asText(""), states);
    } catch (IOException e) {
      return new SyncView(false, "unreadable /debug/syncz: " + e.getMessage(), "", Map.of());
    }
  }

  Optional<String> state(String node) {
    return Optional.ofNullable(states.get("node-agent~" + node));
  }

  boolean allSynced(List<String> nodes) {
    return reachable && nodes.stream().allMatch(n -> state(n).map("SYNCED"::equals).orElse(false));
  }
}
