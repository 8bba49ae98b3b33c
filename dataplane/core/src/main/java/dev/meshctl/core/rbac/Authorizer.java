package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates L4 authorization in Istio's order: any matching DENY denies; with no ALLOW policy applying to the
 * destination, allow; any matching ALLOW allows; otherwise deny.
 *
 * <p>HTTP rules fail closed (see {@link PolicyMatcher}): an ALLOW policy left with no rules allows nothing but still
 * counts as applying, so the destination falls back to deny. A policy whose address blocks do not parse fails closed
 * too: as a DENY it denies everything, as an ALLOW it allows nothing. Dry-run policies take no part in the decision.
 */
public final class Authorizer {

    // Stable order, so that the policy named in a denial does not depend on map iteration order.
    private static final Comparator<Authorization> BY_NAME = Comparator.comparing(Authorizer::nameOf);

    private Authorizer() {
    }

    /** Returns the decision for {@code connection} under the enforced policies among {@code all} that apply to it. */
    public static Decision evaluate(Connection connection, Collection<Authorization> all) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(all, "all");
        return evaluateSelected(connection, all.stream()
                .filter(p -> PolicyScope.appliesTo(p, connection.destinationNamespace(), connection.destinationLabels()))
                .toList());
    }

    /**
     * Returns the decision for {@code connection} under {@code selected}, policies the caller has already chosen as
     * applying (a waypoint selects by the service it serves, not by workload); dry-run ones are still left out.
     */
    public static Decision evaluateSelected(Connection connection, Collection<Authorization> selected) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(selected, "selected");
        List<Authorization> enforced = selected.stream().filter(p -> !p.getDryRun()).sorted(BY_NAME).toList();

        for (Authorization deny : enforced) {
            if (deny.getAction() != Action.DENY) {
                continue;
            }
            try {
                if (PolicyMatcher.matches(deny, connection)) {
                    return Decision.deniedBy(deny, deny.getHasL7() ? "HTTP conditions not checked: " + l7(deny) : "");
                }
            } catch (IllegalArgumentException e) {
                return Decision.deniedBy(deny, "the policy is malformed, so it denies everything: " + e.getMessage());
            }
        }

        List<Authorization> allows = enforced.stream().filter(p -> p.getAction() == Action.ALLOW).toList();
        if (allows.isEmpty()) {
            return Decision.byDefault(true, "no ALLOW policy applies");
        }
        List<String> notes = new ArrayList<>();
        for (Authorization allow : allows) {
            try {
                if (PolicyMatcher.matches(allow, connection)) {
                    return Decision.allowedBy(allow);
                }
            } catch (IllegalArgumentException e) {
                notes.add(nameOf(allow) + " is malformed and allows nothing: " + e.getMessage());
                continue;
            }
            if (allow.getHasL7()) {
                notes.add(nameOf(allow) + " has HTTP rules a node agent cannot enforce (" + l7(allow)
                        + "); they allow nothing here, enforce them at a waypoint");
            }
        }
        return Decision.byDefault(false, "no ALLOW policy matched" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
    }

    /** Returns how decisions and logs name {@code policy}: {@code namespace/name}. */
    public static String nameOf(Authorization policy) {
        Objects.requireNonNull(policy, "policy");
        return policy.getNamespace().isEmpty() ? policy.getName() : policy.getNamespace() + "/" + policy.getName();
    }

    private static String l7(Authorization policy) {
        return policy.getL7FieldsList().isEmpty() ? "HTTP fields" : String.join(", ", policy.getL7FieldsList());
    }
}
