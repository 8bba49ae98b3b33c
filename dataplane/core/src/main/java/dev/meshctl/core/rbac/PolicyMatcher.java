package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Cidr;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.StringMatch;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a connection matches a policy's rules: any rule (OR), all of a rule's clauses (AND), any of a
 * clause's matches (OR), every field a match sets (AND), any value of a field (OR) and none of a {@code not_} field.
 */
public final class PolicyMatcher {

    private PolicyMatcher() {
    }

    /**
     * Returns whether {@code connection} matches one of the rules of {@code policy}, ignoring its scope.
     *
     * <p>HTTP fields cannot be checked on a connection. The control plane strips them from what it sends to node
     * agents; should one arrive anyway, a match setting one matches nothing in an ALLOW policy and is checked on its
     * L4 fields alone in a DENY policy, so that it fails closed either way.
     *
     * @throws IllegalArgumentException if a rule holds a malformed address block
     */
    public static boolean matches(Authorization policy, Connection connection) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(connection, "connection");
        boolean allow = policy.getAction() != Action.DENY;
        for (Rules rule : policy.getRulesList()) {
            if (matches(rule, connection, allow)) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether {@code m} sets any HTTP-level field. */
    public static boolean hasL7(Match m) {
        Objects.requireNonNull(m, "m");
        return m.getHostsCount() + m.getNotHostsCount() + m.getMethodsCount() + m.getNotMethodsCount()
                + m.getPathsCount() + m.getNotPathsCount() + m.getRequestHeadersCount()
                + m.getRequestPrincipalsCount() + m.getNotRequestPrincipalsCount() > 0;
    }

    // A rule with no clauses matches every connection (Istio's `rules: [{}]`).
    private static boolean matches(Rules rule, Connection connection, boolean allow) {
        for (Clause clause : rule.getMatchesList()) {
            if (!matches(clause, connection, allow)) {
                return false;
            }
        }
        return true;
    }

    // A clause with no matches matches nothing.
    private static boolean matches(Clause clause, Connection connection, boolean allow) {
        for (Match match : clause.getMatchesList()) {
            if (!(allow && hasL7(match)) && matchesL4(match, connection)) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether every L4 field {@code m} sets matches; a match that sets none matches everything. */
    static boolean matchesL4(Match m, Connection c) {
        return anyString(m.getNamespacesList(), c.sourceNamespace())
                && noString(m.getNotNamespacesList(), c.sourceNamespace())
                && anyString(m.getPrincipalsList(), c.sourcePrincipal())
                && noString(m.getNotPrincipalsList(), c.sourcePrincipal())
                && anyCidr(m.getSourceIpsList(), c.sourceIp())
                && noCidr(m.getNotSourceIpsList(), c.sourceIp())
                && anyCidr(m.getDestinationIpsList(), c.destinationIp())
                && noCidr(m.getNotDestinationIpsList(), c.destinationIp())
                && (m.getDestinationPortsList().isEmpty() || m.getDestinationPortsList().contains(c.destinationPort()))
                && !m.getNotDestinationPortsList().contains(c.destinationPort());
    }

    private static boolean anyString(List<StringMatch> field, Optional<String> value) {
        return field.isEmpty() || field.stream().anyMatch(s -> StringMatchers.matches(s, value));
    }

    private static boolean noString(List<StringMatch> field, Optional<String> value) {
        return field.stream().noneMatch(s -> StringMatchers.matches(s, value));
    }

    private static boolean anyCidr(List<Cidr> field, InetAddress address) {
        return field.isEmpty() || field.stream().anyMatch(c -> CidrBlock.of(c).contains(address));
    }

    private static boolean noCidr(List<Cidr> field, InetAddress address) {
        return field.stream().noneMatch(c -> CidrBlock.of(c).contains(address));
    }
}
