package dev.meshctl.nodeagent.outbound;

import static dev.meshctl.nodeagent.outbound.Mesh.CLIENT;
import static dev.meshctl.nodeagent.outbound.Mesh.STATE;
import static dev.meshctl.nodeagent.outbound.Mesh.WAYPOINT_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.nodeagent.state.MeshState;
import dev.meshctl.nodeagent.telemetry.Baggage;
import dev.meshctl.nodeagent.telemetry.Peer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the source side reports about the peer it tunnels to, and the baggage it sends. */
class OutboundTelemetryTest {

    private static final OutboundRouter ROUTER = new OutboundRouter((service, candidates) -> candidates.get(0),
            List.of());

    private static OutboundRoute.Hbone route(String destination) {
        String[] hp = destination.split(":");
        return (OutboundRoute.Hbone) ROUTER.decide(new InetSocketAddress("10.0.1.1", 40000),
                new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), STATE, Mesh.LOCAL);
    }

    @Test
    void throughAWaypointTheDestinationPeerIsTheWaypoint() {
        OutboundRoute.Hbone viaService = route("10.96.0.11:9080");
        OutboundRoute.Hbone viaWorkload = route("10.0.2.10:8080");
        assertThat(viaService.viaWaypoint()).isTrue();
        assertThat(viaWorkload.viaWaypoint()).isTrue();

        assertThat(OutboundExecutor.destinationPeer(viaService, STATE))
                .returns("waypoint", Peer::workload).returns("default", Peer::namespace)
                .returns(WAYPOINT_ID, Peer::identity);
        assertThat(OutboundExecutor.destinationPeer(viaWorkload, STATE).workload())
                .as("not the pinned workload behind the waypoint").isEqualTo("waypoint");
    }

    @Test
    void aWaypointOnlyKnownByItsIdentityIsReportedByIt() {
        OutboundRoute.Hbone route = route("10.96.0.11:9080");
        MeshState withoutWaypointPod = MeshState.of(List.of(CLIENT), List.of(), List.of());
        assertThat(OutboundExecutor.destinationPeer(route, withoutWaypointPod))
                .isEqualTo(Peer.identityOnly(WAYPOINT_ID));
        Workload impostor = Mesh.WAYPOINT.toBuilder().setServiceAccount("other").build();
        MeshState wrongIdentity = MeshState.of(List.of(CLIENT, impostor), List.of(), List.of());
        assertThat(OutboundExecutor.destinationPeer(route, wrongIdentity))
                .as("a pod at the address without the expected identity is not the peer")
                .isEqualTo(Peer.identityOnly(WAYPOINT_ID));
    }

    @Test
    void directlyTheDestinationPeerIsTheWorkload() {
        OutboundRoute.Hbone direct = route("10.0.2.5:8080");
        assertThat(direct.viaWaypoint()).isFalse();
        assertThat(OutboundExecutor.destinationPeer(direct, STATE).workload()).isEqualTo("server-1");
        OutboundRoute.Hbone unnamed = new OutboundRoute.Hbone(direct.nextHop(), direct.authority(),
                direct.expectedIdentities(), CLIENT, Optional.empty(), Optional.empty(), false);
        assertThat(OutboundExecutor.destinationPeer(unnamed, STATE))
                .isEqualTo(Peer.identityOnly(direct.expectedIdentities().get(0)));
    }

    @Test
    void baggageNamesTheClientAndReadsBack() {
        Workload client = CLIENT.toBuilder().setWorkloadName("curl").putLabels("app", "curl")
                .putLabels("version", "v1").setCanonicalName("curl").setCanonicalRevision("v1").build();
        String baggage = OutboundExecutor.baggage(client);
        assertThat(baggage).isEqualTo("k8s.cluster.name=Kubernetes,k8s.namespace.name=default,"
                + "k8s.deployment.name=curl,service.name=curl,service.version=v1,app.name=curl,app.version=v1");
        assertThat(Baggage.peer(baggage, "spiffe://cluster.local/ns/default/sa/curl")).hasValue(new Peer("curl",
                "default", "spiffe://cluster.local/ns/default/sa/curl", Peer.of(client).labels()));
    }
}
