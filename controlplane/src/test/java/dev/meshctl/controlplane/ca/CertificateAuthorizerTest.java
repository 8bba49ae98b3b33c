package dev.meshctl.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.core.identity.SpiffeId;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateAuthorizerTest {

    /** node-1 runs default/curl and default/httpbin; node-2 runs bookinfo/reviews. */
    private static final Set<String> PLACEMENT = Set.of("node-1 default curl", "node-1 default httpbin",
            "node-2 bookinfo reviews");
    private static final WorkloadDirectory DIRECTORY = (node, ns, sa) -> PLACEMENT.contains(node + " " + ns + " " + sa);
    private static final CertificateAuthorizer AUTHORIZER = new CertificateAuthorizer("cluster.local");

    @ParameterizedTest(name = "{0} asks for {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "node:node-1 | spiffe://cluster.local/ns/default/sa/curl | true | scheduled on node node-1",
        "node:node-1 | spiffe://cluster.local/ns/default/sa/httpbin | true | scheduled on node node-1",
        "node:node-1 | spiffe://cluster.local/ns/bookinfo/sa/reviews | false | only obtain identities of pods scheduled on its own node",
        "node:node-2 | spiffe://cluster.local/ns/default/sa/curl | false | node node-2 runs no pod",
        "node:node-3 | spiffe://cluster.local/ns/default/sa/curl | false | node node-3 runs no pod",
        "node:node-1 | spiffe://other.example/ns/default/sa/curl | false | not in trust domain 'cluster.local'",
        "id:spiffe://cluster.local/ns/default/sa/waypoint | spiffe://cluster.local/ns/default/sa/waypoint | true | renews its own identity",
        "id:spiffe://cluster.local/ns/default/sa/waypoint | spiffe://cluster.local/ns/default/sa/curl | false | may only obtain its own identity",
        "id:spiffe://cluster.local/ns/default/sa/curl | spiffe://cluster.local/ns/default/sa/httpbin | false | may only obtain its own identity",
    })
    void decides(String caller, String requested, boolean allowed, String reason) {
        Caller who = caller.startsWith("node:")
                ? Caller.node(caller.substring(5)) : Caller.workload(SpiffeId.parse(caller.substring(3)));

        CertificateAuthorizer.Decision decision = AUTHORIZER.decide(who, SpiffeId.parse(requested), DIRECTORY);

        assertThat(decision.allowed()).isEqualTo(allowed);
        assertThat(decision.reason()).contains(reason);
    }
}
