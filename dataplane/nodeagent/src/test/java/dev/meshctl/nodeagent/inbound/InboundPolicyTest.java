package dev.meshctl.nodeagent.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.hbone.ConnectRequest;
import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.nodeagent.state.MeshState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboundPolicyTest {

    private static final String CURL = "spiffe://cluster.local/ns/default/sa/curl";
    private static final String WAYPOINT = "spiffe://cluster.local/ns/default/sa/waypoint";

    private static Workload workload(String name, String ip, String node, String sa, Map<String, String> labels) {
        return Workload.newBuilder().setUid(name).setName(name).setNamespace("default").setNode(node).addAddresses(ip)
                .setServiceAccount(sa).putAllLabels(labels).setTunnelProtocol(TunnelProtocol.HBONE).build();
    }

    private final MeshState state = MeshState.of(List.of(
            workload("curl", "10.244.1.5", "node-1", "curl", Map.of()),
            workload("waypoint", "10.244.1.9", "node-1", "waypoint",
                    Map.of(InboundPolicy.WAYPOINT_LABEL, "waypoint")),
            workload("echo", "10.244.2.7", "node-2", "echo", Map.of())), List.of(), List.of());

    private static ConnectRequest request(String peer, String peerIp, String target, Map<String, String> headers) {
        String[] t = target.split(":");
        return new ConnectRequest(peer, new InetSocketAddress(peerIp, 40000), new InetSocketAddress("10.244.2.7", 15008),
                InetSocketAddress.createUnresolved(t[0], Integer.parseInt(t[1])), headers);
    }

    @Test
    void connectsToTheLocalPodSpoofingTheClient() {
        InboundPolicy.Verdict v = InboundPolicy.hbone(state, "node-2", request(CURL, "10.244.1.5", "10.244.2.7:8080",
                Map.of()), true);
        assertThat(v.decision()).isEqualTo(new InboundDecision.Connect(new InetSocketAddress("10.244.2.7", 8080),
                Optional.of(new InetSocketAddress("10.244.1.5", 0).getAddress())));
        assertThat(v.source()).map(Workload::getName).contains("curl");
    }

    @Test
    void targetNamingAnotherPodIs400() {
        InboundPolicy.Verdict v = InboundPolicy.hbone(state, "node-2", request(CURL, "10.244.1.5", "10.244.2.8:8080",
                Map.of()), false);
        assertThat(v.decision()).isInstanceOfSatisfying(InboundDecision.Reject.class,
                r -> assertThat(r.status()).isEqualTo(400));
        assertThat(InboundPolicy.hbone(state, "node-2", request(CURL, "10.244.1.5", "echo.local:8080", Map.of()),
                false).decision()).isInstanceOf(InboundDecision.Reject.class);
    }

    @Test
    void connectionToAPodOfAnotherNodeIs400() {
        InboundPolicy.Verdict v = InboundPolicy.hbone(state, "node-1", request(CURL, "10.244.1.5", "10.244.2.7:8080",
                Map.of()), false);
        assertThat(((InboundDecision.Reject) v.decision()).status()).isEqualTo(400);
    }

    @Test
    void peerIpOfAWorkloadWithAnotherIdentityIs401() {
        InboundPolicy.Verdict v = InboundPolicy.hbone(state, "node-2", request(WAYPOINT, "10.244.1.5",
                "10.244.2.7:8080", Map.of()), false);
        assertThat(v.deniedByPolicy()).isTrue();
        assertThat(v.reason()).contains("presented " + WAYPOINT);
    }

    @Test
    void forwardedIsBelievedFromAWaypointOnly() {
        Map<String, String> forwarded = Map.of("forwarded", "for=\"10.244.1.5:5555\"");
        InboundPolicy.Verdict viaWaypoint = InboundPolicy.hbone(state, "node-2", request(WAYPOINT, "10.244.1.9",
                "10.244.2.7:8080", forwarded), false);
        assertThat(viaWaypoint.client()).isEqualTo(new InetSocketAddress("10.244.1.5", 5555));
        assertThat(viaWaypoint.source()).map(Workload::getName).contains("curl");

        InboundPolicy.Verdict spoofed = InboundPolicy.hbone(state, "node-2", request(CURL, "10.244.1.5",
                "10.244.2.7:8080", Map.of("forwarded", "for=\"10.244.1.9:1\"")), false);
        assertThat(spoofed.client()).isEqualTo(new InetSocketAddress("10.244.1.5", 40000));
    }

    @Test
    void parsesForwardedFor() {
        assertThat(InboundPolicy.forwardedFor("for=\"10.0.0.1:4242\"")).contains(new InetSocketAddress("10.0.0.1", 4242));
        assertThat(InboundPolicy.forwardedFor("proto=http;for=10.0.0.1")).contains(new InetSocketAddress("10.0.0.1", 0));
        assertThat(InboundPolicy.forwardedFor("for=\"[fd00::1]:80\", for=10.0.0.2"))
                .contains(new InetSocketAddress("fd00::1", 80));
        assertThat(InboundPolicy.forwardedFor("for=unknown")).isEmpty();
        assertThat(InboundPolicy.forwardedFor("for=\"10.0.0.1:99999\"")).isEmpty();
        assertThat(InboundPolicy.forwardedFor("by=10.0.0.1")).isEmpty();
    }
}
