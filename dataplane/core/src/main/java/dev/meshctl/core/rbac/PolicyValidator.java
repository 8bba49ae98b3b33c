package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Cidr;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.core.config.ConfigValidator;
import java.util.List;
import java.util.Objects;

/**
 * Refuses policies a proxy cannot enforce as written (unknown scope or action, malformed address blocks, ports out
 * of range), so that the config is NACKed instead of half-enforced.
 */
public final class PolicyValidator {

    private PolicyValidator() {
    }

    /**
     * Checks one policy.
     *
     * @throws IllegalArgumentException naming the policy, the field and the bad value
     */
    public static void check(Authorization policy) {
        Objects.requireNonNull(policy, "policy");
        String name = Authorizer.nameOf(policy);
        if (policy.getScope() == Scope.UNRECOGNIZED) {
            throw new IllegalArgumentException("policy " + name + " has an unknown scope " + policy.getScopeValue());
        }
        if (policy.getAction() == Action.UNRECOGNIZED) {
            throw new IllegalArgumentException("policy " + name + " has an unknown action " + policy.getActionValue());
        }
        for (Rules rule : policy.getRulesList()) {
            for (Clause clause : rule.getMatchesList()) {
                for (Match m : clause.getMatchesList()) {
                    cidrs(name, "source_ips", m.getSourceIpsList());
                    cidrs(name, "not_source_ips", m.getNotSourceIpsList());
                    cidrs(name, "destination_ips", m.getDestinationIpsList());
                    cidrs(name, "not_destination_ips", m.getNotDestinationIpsList());
                    ports(name, "destination_ports", m.getDestinationPortsList());
                    ports(name, "not_destination_ports", m.getNotDestinationPortsList());
                }
            }
        }
    }

    /** Returns a config validator that checks every Authorization resource of a candidate config. */
    public static ConfigValidator configValidator() {
        return (typeUrl, candidate) -> candidate.resources(Authorization.class).values().forEach(PolicyValidator::check);
    }

    private static void cidrs(String policy, String field, List<Cidr> cidrs) {
        for (Cidr c : cidrs) {
            try {
                CidrBlock.of(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy " + policy + " field " + field + ": " + e.getMessage(), e);
            }
        }
    }

    private static void ports(String policy, String field, List<Integer> ports) {
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("policy " + policy + " field " + field + ": port "
                        + Integer.toUnsignedString(port) + " is not in 1..65535");
            }
        }
    }
}
