package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Cidr;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Builds policies and connections for the rbac tests. */
final class Policies {

    static final String CURL = "cluster.local/ns/default/sa/curl";
    static final Map<String, String> REVIEWS = Map.of("app", "reviews", "version", "v1");

    private Policies() {
    }

    static InetAddress ip(String text) {
        return CidrBlock.parseIp(text);
    }

    static Cidr cidr(String address, int length) {
        return Cidr.newBuilder().setAddress(address).setLength(length).build();
    }

    /** Returns a connection from {@code principal} (null for plaintext) at {@code srcIp} to 10.244.2.7:{@code port}. */
    static Connection conn(String principal, String srcIp, int port) {
        return Connection.of(Optional.ofNullable(principal), ip(srcIp), new InetSocketAddress(ip("10.244.2.7"), port),
                "default", REVIEWS);
    }

    static Connection fromCurl() {
        return conn(CURL, "10.244.1.5", 9080);
    }

    static Connection plaintext() {
        return conn(null, "10.244.1.5", 9080);
    }

    static Rules rule(Match... ors) {
        return Rules.newBuilder().addMatches(Clause.newBuilder().addAllMatches(Arrays.asList(ors))).build();
    }

    static Rules ruleOfClauses(Clause... ands) {
        return Rules.newBuilder().addAllMatches(Arrays.asList(ands)).build();
    }

    static Clause clause(Match... ors) {
        return Clause.newBuilder().addAllMatches(Arrays.asList(ors)).build();
    }

    static Match.Builder match() {
        return Match.newBuilder();
    }

    static Authorization.Builder policy(String namespace, String name, Action action, Rules... rules) {
        return Authorization.newBuilder().setNamespace(namespace).setName(name).setAction(action)
                .setScope(Scope.NAMESPACE).addAllRules(Arrays.asList(rules));
    }

    static Authorization allow(String name, Rules... rules) {
        return policy("default", name, Action.ALLOW, rules).build();
    }

    static Authorization deny(String name, Rules... rules) {
        return policy("default", name, Action.DENY, rules).build();
    }
}
