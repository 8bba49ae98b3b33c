package dev.meshctl.nodeagent.proxy;

import static dev.meshctl.nodeagent.proxy.TwoNodes.await;
import static dev.meshctl.nodeagent.proxy.TwoNodes.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.core.hbone.HboneClient;
import dev.meshctl.core.hbone.HboneException;
import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The traffic path end to end between two in-process node agents: transparency, identity, policy, telemetry. */
class ProxyTest {

    private TwoNodes mesh;

    @BeforeEach
    void setUp() throws Exception {
        mesh = new TwoNodes();
    }

    @AfterEach
    void tearDown() throws Exception {
        mesh.close();
    }

    @Test
    void carriesBytesOverHboneBetweenNodes() throws Exception {
        mesh.apply();
        try (Socket s = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address())) {
            assertThat(roundTrip(s, "hello through the mesh")).isEqualTo("hello through the mesh");
            assertThat(mesh.node1.connections()).singleElement().satisfies(c -> {
                assertThat(c.direction()).isEqualTo("outbound");
                assertThat(c.sourceIdentity()).isEqualTo("spiffe://cluster.local/ns/default/sa/curl");
                assertThat(c.destinationIdentity()).isEqualTo("spiffe://cluster.local/ns/default/sa/echo");
            });
            assertThat(mesh.node2.connections()).singleElement()
                    .satisfies(c -> assertThat(c.direction()).isEqualTo("inbound"));
        }
        await("both agents logged the connection", () -> mesh.log1.size() == 1 && mesh.log2.size() == 1);
        assertThat(mesh.log1.get(0)).contains("direction=outbound", "src.addr=127.0.1.1:",
                "src.identity=spiffe://cluster.local/ns/default/sa/curl", "dst.workload=echo", "bytes_recv=22",
                "bytes_sent=22");
        // The HBONE connection came from the client pod's IP, so the destination saw who really connected.
        assertThat(mesh.log2.get(0)).contains("direction=inbound", "src.addr=127.0.1.1:", "src.workload=curl",
                "dst.addr=127.0.2.1:" + mesh.echo.address().getPort(), "bytes_recv=22");
        await("connections are forgotten", () -> mesh.node1.connections().isEmpty()
                && mesh.node2.connections().isEmpty());
        assertThat(mesh.log1).hasSize(1);
        assertThat(mesh.log2).hasSize(1);
    }

    @Test
    void reportsIstioMetricsWithBothPrincipals() throws Exception {
        mesh.apply();
        try (Socket s = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address())) {
            roundTrip(s, "abc");
        }
        await("closed", () -> mesh.metrics2.scrape().contains("istio_tcp_connections_closed_total"));
        String scrape = mesh.metrics2.scrape();
        assertThat(scrape).contains("istio_tcp_connections_opened_total{", "istio_tcp_sent_bytes_total{",
                "istio_tcp_received_bytes_total{");
        String closed = scrape.lines().filter(l -> l.startsWith("istio_tcp_connections_closed_total{"))
                .findFirst().orElseThrow();
        assertThat(closed).contains("reporter=\"destination\"", "connection_security_policy=\"mutual_tls\"",
                "source_principal=\"spiffe://cluster.local/ns/default/sa/curl\"",
                "destination_principal=\"spiffe://cluster.local/ns/default/sa/echo\"",
                "source_workload=\"curl\"", "source_workload_namespace=\"default\"", "destination_workload=\"echo\"",
                "destination_service=\"unknown\"", "request_protocol=\"tcp\"", "response_flags=\"-\"");
        await("source side closed", () -> mesh.metrics1.scrape().contains("reporter=\"source\""));
    }

    @Test
    void deniedByPolicyIsResetAndCountedAsDeny() throws Exception {
        mesh.apply(TwoNodes.allowOnly("echo", "cluster.local/ns/default/sa/other"));
        assertThat(mesh.isReset(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address())).isTrue();
        await("deny counted", () -> mesh.metrics2.scrape().contains("response_flags=\"DENY\""));
        await("source side counted the deny", () -> mesh.metrics1.scrape().contains("response_flags=\"DENY\""));
        assertThat(mesh.echo.peers).isEmpty();

        try (Socket s = mesh.connect(TwoNodes.OTHER_IP, mesh.node1.outboundAddress(), mesh.echo.address())) {
            assertThat(roundTrip(s, "allowed")).isEqualTo("allowed");
        }
    }

    @Test
    void strictPolicyDeniesPlaintextButNotHbone() throws Exception {
        mesh.apply();
        try (Socket s = mesh.connect(TwoNodes.OUTSIDER_IP, mesh.node2.plaintextAddress(), mesh.echo.address())) {
            assertThat(roundTrip(s, "permissive")).isEqualTo("permissive");
        }
        await("permissive connection finished", () -> mesh.node2.connections().isEmpty());
        mesh.apply(TwoNodes.strict());
        assertThat(mesh.isReset(TwoNodes.OUTSIDER_IP, mesh.node2.plaintextAddress(), mesh.echo.address())).isTrue();
        try (Socket s = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address())) {
            assertThat(roundTrip(s, "mtls")).isEqualTo("mtls");
        }
        await("plaintext deny logged", () -> mesh.log2.stream().anyMatch(l -> l.contains("converted-strict")));
    }

    @Test
    void policyChangeClosesOpenConnection() throws Exception {
        mesh.apply();
        try (Socket s = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address())) {
            assertThat(roundTrip(s, "before")).isEqualTo("before");
            mesh.apply(TwoNodes.allowOnly("echo", "cluster.local/ns/default/sa/other"));
            await("connection closed by the new policy", () -> wasResetOrClosed(s));
        }
        await("deny counted", () -> mesh.metrics2.scrape().contains("response_flags=\"DENY\""));
    }

    @Test
    void sameNodeDestinationIsServedWithoutHbone() throws Exception {
        mesh.apply();
        try (Socket s = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.localEcho.address())) {
            assertThat(roundTrip(s, "local")).isEqualTo("local");
            assertThat(mesh.node1.pool().connectionCount()).isZero();
        }
        await("outbound and inbound views logged", () -> mesh.log1.size() == 2);
        assertThat(mesh.log1).anySatisfy(l -> assertThat(l).contains("direction=outbound"))
                .anySatisfy(l -> assertThat(l).contains("direction=inbound", "dst.workload=local-echo"));

        mesh.apply(TwoNodes.allowOnly("local-echo", "cluster.local/ns/default/sa/other"));
        assertThat(mesh.isReset(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.localEcho.address())).isTrue();
    }

    @Test
    void noForwardingBeforeFirstConfig() throws Exception {
        assertThat(mesh.isReset(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address())).isTrue();
        assertThat(mesh.isReset(TwoNodes.OUTSIDER_IP, mesh.node2.plaintextAddress(), mesh.echo.address())).isTrue();
        assertThat(mesh.echo.peers).isEmpty();
    }

    @Test
    void refusesOriginalDestinationsThatAreTheAgentsOwnListeners() throws Exception {
        mesh.apply();
        for (InetSocketAddress loop : new InetSocketAddress[] {
                new InetSocketAddress("127.0.0.1", 15001), new InetSocketAddress("127.0.0.11", 15008),
                mesh.node1.outboundAddress(), new InetSocketAddress("127.0.0.11", mesh.node1.hboneAddress().getPort())}) {
            assertThat(mesh.isReset(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), loop)).as("loop to %s", loop).isTrue();
        }
        assertThat(mesh.node1.connections()).isEmpty();
    }

    @Test
    void neverSharesAnHboneConnectionBetweenSourceIps() throws Exception {
        mesh.apply();
        try (Socket a = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address());
             Socket b = mesh.connect(TwoNodes.CURL2_IP, mesh.node1.outboundAddress(), mesh.echo.address());
             Socket c = mesh.connect(TwoNodes.CURL_IP, mesh.node1.outboundAddress(), mesh.echo.address())) {
            assertThat(roundTrip(a, "a")).isEqualTo("a");
            assertThat(roundTrip(b, "b")).isEqualTo("b");
            assertThat(roundTrip(c, "c")).isEqualTo("c");
            // Same identity (sa/curl), two pod IPs: two connections; the second stream from 127.0.1.1 reuses one.
            assertThat(mesh.node1.pool().connectionCount()).isEqualTo(2);
        }
    }

    @Test
    void connectTargetNamingAnotherPodGets400() throws Exception {
        mesh.apply();
        InetSocketAddress hbone = new InetSocketAddress(TwoNodes.ECHO_IP, mesh.node2.hboneAddress().getPort());
        try (HboneClient client = HboneClient.builder().threads(1).certificates(mesh.identities)
                .peerVerifiers(id -> mesh.identities.peerVerifier()).build();
             HbonePool pool = new HbonePool(client)) {
            HboneRequest other = HboneRequest.of(hbone, new InetSocketAddress("127.0.2.9", 80),
                    Set.of("spiffe://cluster.local/ns/default/sa/echo"), "spiffe://cluster.local/ns/default/sa/curl")
                    .withSourceAddress(InetAddress.getByName(TwoNodes.CURL_IP));
            assertThatThrownBy(() -> pool.open(other).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(HboneException.class)
                    .satisfies(e -> assertThat(((HboneException) e.getCause()).status()).isEqualTo(400));

            // A peer whose IP belongs to a workload with another identity is refused.
            HboneRequest spoofed = HboneRequest.of(hbone, mesh.echo.address(),
                    Set.of("spiffe://cluster.local/ns/default/sa/echo"), "spiffe://cluster.local/ns/default/sa/other")
                    .withSourceAddress(InetAddress.getByName(TwoNodes.CURL_IP));
            assertThatThrownBy(() -> pool.open(spoofed).get(5, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(((HboneException) e.getCause()).status()).isEqualTo(401));
        }
        assertThat(mesh.echo.peers).isEmpty();
    }

    private static boolean wasResetOrClosed(Socket s) {
        try {
            s.getOutputStream().write('x');
            return s.getInputStream().read() < 0;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
