package dev.meshctl.nodeagent.admin;

import java.util.List;
import java.util.Objects;

/**
 * Decides whether the node agent may take traffic: only once a complete config is applied and every local enrolled
 * workload has a certificate, so there is no window in which traffic is forwarded unprotected.
 *
 * @param ready whether the agent is ready
 * @param reason what is missing, or "ready"
 */
public record Readiness(boolean ready, String reason) {

  /** Checks the fields. */
  public Readiness {
    Objects.requireNonNull(reason, "reason");
  }

  /** Returns the decision for the given facts. */
  public static Readiness of(boolean configApplied, String configSource, List<String> pendingIdentities) {
    Objects.requireNonNull(configSource, "configSource");
    Objects.requireNonNull(pendingIdentities, "pendingIdentities");
    if (!configApplied) {
      return new Readiness(false, "no config applied yet from " + configSource);
    }
    if (!pendingIdentities.isEmpty()) {
      return new Readiness(false, "waiting for " + pendingIdentities.size() + " certificate(s): "
          + String.join(", ", pendingIdentities));
    }
    return new Readiness(true, "ready");
  }

  /** Returns the HTTP answer: 200 when ready, else 503 with the reason. */
  public Response response() {
    return ready ? Response.text(200, "ready") : Response.text(503, "not ready: " + reason);
  }
}
