package dev.meshctl.core.rbac;

import static dev.meshctl.core.rbac.Policies.CURL;
import static dev.meshctl.core.rbac.Policies.allow;
import static dev.meshctl.core.rbac.Policies.cidr;
import static dev.meshctl.core.rbac.Policies.conn;
import static dev.meshctl.core.rbac.Policies.match;
import static dev.meshctl.core.rbac.Policies.rule;
import static dev.meshctl.core.rbac.StringMatchers.fromIstio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.meshctl.api.mesh.Match;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per field and value shape: does a single-match ALLOW policy match the connection? */
class MatchFieldsTest {

    private static final String OTHER_NS = "cluster.local/ns/prod/sa/curl";

    static Stream<Arguments> rows() {
        return Stream.of(
                // principals
                row("principal exact", match().addPrincipals(fromIstio(CURL)), conn(CURL, "10.244.1.5", 80), true),
                row("principal exact, other sa", match().addPrincipals(fromIstio("cluster.local/ns/default/sa/sleep")),
                        conn(CURL, "10.244.1.5", 80), false),
                row("principal dot is literal", match().addPrincipals(fromIstio("cluster.local/ns/default/sa/cur.")),
                        conn(CURL, "10.244.1.5", 80), false),
                row("principal dot is literal in trust domain",
                        match().addPrincipals(fromIstio("cluster.local/ns/default/sa/curl")),
                        conn("clusterxlocal/ns/default/sa/curl", "10.244.1.5", 80), false),
                row("principal * with identity", match().addPrincipals(fromIstio("*")), conn(CURL, "10.244.1.5", 80), true),
                row("principal * without identity", match().addPrincipals(fromIstio("*")), conn(null, "10.244.1.5", 80), false),
                row("principal prefix*", match().addPrincipals(fromIstio("cluster.local/ns/default/*")),
                        conn(CURL, "10.244.1.5", 80), true),
                row("principal prefix*, other ns", match().addPrincipals(fromIstio("cluster.local/ns/default/*")),
                        conn(OTHER_NS, "10.244.1.5", 80), false),
                row("principal *suffix", match().addPrincipals(fromIstio("*/sa/curl")), conn(OTHER_NS, "10.244.1.5", 80), true),
                row("principal *suffix, other sa", match().addPrincipals(fromIstio("*/sa/sleep")),
                        conn(CURL, "10.244.1.5", 80), false),
                row("principal without identity never matches", match().addPrincipals(fromIstio("*/sa/curl")),
                        conn(null, "10.244.1.5", 80), false),
                row("principal given as SPIFFE URI", match().addPrincipals(fromIstio(CURL)),
                        conn("spiffe://" + CURL, "10.244.1.5", 80), true),
                row("principal any of several", match().addPrincipals(fromIstio("a/ns/b/sa/c")).addPrincipals(fromIstio(CURL)),
                        conn(CURL, "10.244.1.5", 80), true),
                // not principals
                row("notPrincipals hit", match().addNotPrincipals(fromIstio(CURL)), conn(CURL, "10.244.1.5", 80), false),
                row("notPrincipals miss", match().addNotPrincipals(fromIstio(CURL)), conn(OTHER_NS, "10.244.1.5", 80), true),
                row("notPrincipals * without identity", match().addNotPrincipals(fromIstio("*")),
                        conn(null, "10.244.1.5", 80), true),
                row("notPrincipals * with identity", match().addNotPrincipals(fromIstio("*")), conn(CURL, "10.244.1.5", 80), false),
                // namespaces, derived from the principal
                row("namespace exact", match().addNamespaces(fromIstio("default")), conn(CURL, "10.244.1.5", 80), true),
                row("namespace other", match().addNamespaces(fromIstio("default")), conn(OTHER_NS, "10.244.1.5", 80), false),
                row("namespace prefix*", match().addNamespaces(fromIstio("pro*")), conn(OTHER_NS, "10.244.1.5", 80), true),
                row("namespace without identity", match().addNamespaces(fromIstio("*")), conn(null, "10.244.1.5", 80), false),
                row("notNamespaces hit", match().addNotNamespaces(fromIstio("default")), conn(CURL, "10.244.1.5", 80), false),
                row("notNamespaces miss", match().addNotNamespaces(fromIstio("default")), conn(OTHER_NS, "10.244.1.5", 80), true),
                row("notNamespaces without identity", match().addNotNamespaces(fromIstio("default")),
                        conn(null, "10.244.1.5", 80), true),
                // source ipBlocks
                row("ipBlocks /24 inside", match().addSourceIps(cidr("10.244.1.0", 24)), conn(CURL, "10.244.1.5", 80), true),
                row("ipBlocks /24 outside", match().addSourceIps(cidr("10.244.1.0", 24)), conn(CURL, "10.244.2.5", 80), false),
                row("ipBlocks /20 not byte aligned", match().addSourceIps(cidr("10.244.16.0", 20)),
                        conn(CURL, "10.244.31.255", 80), true),
                row("ipBlocks /20 just outside", match().addSourceIps(cidr("10.244.16.0", 20)),
                        conn(CURL, "10.244.32.0", 80), false),
                row("ipBlocks /32", match().addSourceIps(cidr("10.244.1.5", 32)), conn(CURL, "10.244.1.5", 80), true),
                row("ipBlocks /0", match().addSourceIps(cidr("0.0.0.0", 0)), conn(null, "192.168.0.1", 80), true),
                row("ipBlocks IPv6 block, IPv4 source", match().addSourceIps(cidr("::", 0)), conn(CURL, "10.244.1.5", 80), false),
                row("ipBlocks IPv6", match().addSourceIps(cidr("fd00:10:244::", 48)), conn(CURL, "fd00:10:244::5", 80), true),
                row("notIpBlocks hit", match().addNotSourceIps(cidr("10.244.1.0", 24)), conn(CURL, "10.244.1.5", 80), false),
                row("notIpBlocks miss", match().addNotSourceIps(cidr("10.244.1.0", 24)), conn(CURL, "10.244.9.5", 80), true),
                // destination IP (when destination.ip)
                row("when destination.ip inside", match().addDestinationIps(cidr("10.244.2.0", 24)),
                        conn(CURL, "10.244.1.5", 80), true),
                row("when destination.ip outside", match().addDestinationIps(cidr("10.244.3.0", 24)),
                        conn(CURL, "10.244.1.5", 80), false),
                row("when destination.ip notValues hit", match().addNotDestinationIps(cidr("10.244.2.7", 32)),
                        conn(CURL, "10.244.1.5", 80), false),
                row("when destination.ip notValues miss", match().addNotDestinationIps(cidr("10.244.2.8", 32)),
                        conn(CURL, "10.244.1.5", 80), true),
                // ports (to.operation.ports, when destination.port)
                row("ports hit", match().addDestinationPorts(8080).addDestinationPorts(9080), conn(CURL, "10.244.1.5", 9080), true),
                row("ports miss", match().addDestinationPorts(8080), conn(CURL, "10.244.1.5", 9080), false),
                row("notPorts hit", match().addNotDestinationPorts(9080), conn(CURL, "10.244.1.5", 9080), false),
                row("notPorts miss", match().addNotDestinationPorts(9080), conn(CURL, "10.244.1.5", 8080), true),
                // when-derived source fields land in the same match fields
                row("when source.principal", match().addPrincipals(fromIstio(CURL)), conn(CURL, "10.244.1.5", 80), true),
                row("when source.namespace", match().addNamespaces(fromIstio("prod")), conn(CURL, "10.244.1.5", 80), false),
                row("when source.ip", match().addSourceIps(cidr("10.244.1.5", 32)), conn(null, "10.244.1.5", 80), true),
                // fields are AND-ed
                row("every set field must match", match().addPrincipals(fromIstio(CURL)).addDestinationPorts(8080),
                        conn(CURL, "10.244.1.5", 9080), false),
                row("value and not-value together", match().addNamespaces(fromIstio("*")).addNotPrincipals(fromIstio(CURL)),
                        conn(OTHER_NS, "10.244.1.5", 80), true),
                row("empty match matches anything", match(), conn(null, "10.244.1.5", 80), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matchesField(String name, Match match, Connection connection, boolean expected) {
        assertThat(PolicyMatcher.matches(allow("p", rule(match)), connection)).isEqualTo(expected);
    }

    private static Arguments row(String name, Match.Builder match, Connection connection, boolean expected) {
        return arguments(name, match.build(), connection, expected);
    }
}
