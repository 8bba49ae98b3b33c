package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.Authorization;
import java.util.Map;
import java.util.Objects;

/** Decides whether a policy applies to a workload, from the policy's scope, namespace and selector. */
public final class PolicyScope {

    private PolicyScope() {
    }

    /**
     * Returns whether {@code policy} applies to a workload in {@code namespace} carrying {@code labels}: GLOBAL to
     * every workload, NAMESPACE to those of the policy's namespace, WORKLOAD_SELECTOR to those of its namespace that
     * carry every selector label, WAYPOINT to none (the waypoint enforces it). A GLOBAL policy with a selector (a root-namespace policy with a selector in Istio)
     * applies to the workloads in every namespace that carry its labels.
     */
    public static boolean appliesTo(Authorization policy, String namespace, Map<String, String> labels) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(labels, "labels");
        return switch (policy.getScope()) {
            case GLOBAL -> selects(policy, labels);
            case NAMESPACE -> policy.getNamespace().equals(namespace);
            case WORKLOAD_SELECTOR -> policy.getNamespace().equals(namespace) && selects(policy, labels);
            // Enforced by the waypoint the policy targets, on the traffic it handles, not by workload.
            case WAYPOINT -> false;
            // A scope this build does not know: applying it could widen access, so it applies to nothing.
            case UNRECOGNIZED -> false;
        };
    }

    private static boolean selects(Authorization policy, Map<String, String> labels) {
        for (Map.Entry<String, String> want : policy.getSelectorMap().entrySet()) {
            if (!want.getValue().equals(labels.get(want.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
