package dev.meshctl.nodeagent.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.StringMatch;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.hbone.ConnectRequest;
import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.core.hbone.Transport;
import dev.meshctl.nodeagent.proxy.ConnectionTracker;
import dev.meshctl.nodeagent.proxy.Dialer;
import dev.meshctl.nodeagent.state.MeshState;
import dev.meshctl.nodeagent.telemetry.Telemetry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the destination side reports: the service the client asked for, and no identity for plain text. */
class InboundTelemetryTest {

    private static final String CURL = "spiffe://cluster.local/ns/default/sa/curl";

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Telemetry telemetry = new Telemetry(registry, log::add, Clock.systemUTC());

    private static Workload workload(String name, String ip, String node, String sa, Map<String, PortList> services) {
        return Workload.newBuilder().setUid(name).setName(name + "-pod").setWorkloadName(name).setNamespace("default")
                .setNode(node).addAddresses(ip).setServiceAccount(sa).putLabels("app", name)
                .putAllServices(services).setTunnelProtocol(TunnelProtocol.HBONE).build();
    }

    private static Service service(String name, String vip, int port, int targetPort) {
        return Service.newBuilder().setName(name).setNamespace("default")
                .setHostname(name + ".default.svc.cluster.local").addAddresses(vip)
                .addPorts(Port.newBuilder().setServicePort(port).setTargetPort(targetPort)).build();
    }

    private static String key(String name) {
        return "default/" + name + ".default.svc.cluster.local";
    }

    /** Denies everything reaching app=echo, so each connection is recorded and closed at once. */
    private static Authorization denyEcho() {
        return Authorization.newBuilder().setName("deny-echo").setNamespace("default")
                .setScope(Scope.WORKLOAD_SELECTOR).putSelector("app", "echo").setAction(Action.DENY)
                .addRules(Rules.newBuilder().addMatches(Clause.newBuilder().addMatches(Match.newBuilder()
                        .addNotPrincipals(StringMatch.newBuilder().setExact("nobody")))))
                .build();
    }

    private static MeshState state(Service... services) {
        Map<String, PortList> selected = new java.util.HashMap<>();
        for (Service s : services) {
            selected.put(key(s.getName()), PortList.getDefaultInstance());
        }
        return MeshState.of(List.of(
                workload("curl", "10.244.1.5", "node-1", "curl", Map.of()),
                workload("echo", "10.244.2.7", "node-2", "echo", selected)), List.of(services), List.of(denyEcho()));
    }

    private static ConnectRequest connect(String target) {
        String[] t = target.split(":");
        return new ConnectRequest(CURL, new InetSocketAddress("10.244.1.5", 40000),
                new InetSocketAddress("10.244.2.7", 15008),
                InetSocketAddress.createUnresolved(t[0], Integer.parseInt(t[1])), Map.of());
    }

    private String tag(String name) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().equals("istio_tcp_connections_opened"))
                .map(Meter::getId).map(id -> id.getTag(name)).findFirst().orElseThrow();
    }

    @Test
    void hboneDestinationReportsTheServiceThatSelectsThePodOnThatPort() {
        MeshState state = state(service("echo", "10.96.0.10", 80, 8080));
        HboneInboundHandler handler = new HboneInboundHandler("node-2", () -> state, false, telemetry,
                new ConnectionTracker());

        assertThat(handler.decide(connect("10.244.2.7:8080"))).isInstanceOf(InboundDecision.Reject.class);

        assertThat(log).singleElement().asString().contains("dst.service=echo.default.svc.cluster.local",
                "direction=inbound", "src.identity=" + CURL);
        assertThat(tag("reporter")).isEqualTo("destination");
        assertThat(tag("destination_service")).isEqualTo("echo.default.svc.cluster.local");
        assertThat(tag("destination_service_name")).isEqualTo("echo");
        assertThat(tag("destination_service_namespace")).isEqualTo("default");
    }

    @Test
    void hboneDestinationSaysUnknownWhenNoServiceOrSeveralMatch() {
        MeshState none = state(service("echo", "10.96.0.10", 80, 8080));
        new HboneInboundHandler("node-2", () -> none, false, telemetry, new ConnectionTracker())
                .decide(connect("10.244.2.7:9999"));
        MeshState two = state(service("echo", "10.96.0.10", 80, 8080), service("echo-v1", "10.96.0.11", 80, 8080));
        new HboneInboundHandler("node-2", () -> two, false, telemetry, new ConnectionTracker())
                .decide(connect("10.244.2.7:8080"));

        assertThat(log).hasSize(2).allSatisfy(l -> assertThat(l).contains("dst.service=unknown"));
        assertThat(tag("destination_service_name")).isEqualTo("unknown");
    }

    @Test
    void plaintextNamesTheSourceWorkloadButNoIdentity() {
        MeshState state = state(service("echo", "10.96.0.10", 80, 8080));
        PlaintextInbound inbound = new PlaintextInbound("node-2", () -> state,
                new Dialer(Transport.preferred(), Duration.ofSeconds(1), false, UnaryOperator.identity()), telemetry,
                new ConnectionTracker());
        EmbeddedChannel downstream = new EmbeddedChannel();

        inbound.accept(downstream, new InetSocketAddress("10.244.1.5", 40000),
                new InetSocketAddress("10.244.2.7", 8080));

        assertThat(log).singleElement().asString().contains("src.workload=curl", "src.namespace=default",
                "src.identity=unknown", "dst.service=echo.default.svc.cluster.local", "direction=inbound")
                .doesNotContain("sa/curl");
        assertThat(tag("source_workload")).isEqualTo("curl");
        assertThat(tag("source_principal")).isEqualTo("unknown");
        assertThat(tag("connection_security_policy")).isEqualTo("none");
        downstream.runPendingTasks();
        assertThat(downstream.isOpen()).as("the denied connection is reset").isFalse();
    }

    private static final String WAYPOINT = "spiffe://cluster.local/ns/default/sa/waypoint";
    private static final String WAYPOINT_BAGGAGE = "k8s.cluster.name=Kubernetes,k8s.namespace.name=default,"
            + "k8s.deployment.name=waypoint,service.name=waypoint,service.version=latest";

    private static Workload waypointPod() {
        return Workload.newBuilder().setUid("waypoint").setName("waypoint-pod").setWorkloadName("waypoint")
                .setNamespace("default").setNode("node-3").addAddresses("10.244.3.9").setServiceAccount("waypoint")
                .putLabels(InboundPolicy.WAYPOINT_LABEL, "waypoint").setCanonicalName("waypoint")
                .setCanonicalRevision("latest").setTunnelProtocol(TunnelProtocol.HBONE).build();
    }

    private static ConnectRequest fromWaypoint(Map<String, String> headers) {
        return new ConnectRequest(WAYPOINT, new InetSocketAddress("10.244.3.9", 41000),
                new InetSocketAddress("10.244.2.7", 15008), InetSocketAddress.createUnresolved("10.244.2.7", 8080),
                headers);
    }

    private MeshState withWaypoint(boolean waypointKnown) {
        Service echo = service("echo", "10.96.0.10", 80, 8080);
        List<Workload> workloads = new java.util.ArrayList<>(List.of(
                workload("curl", "10.244.1.5", "node-1", "curl", Map.of()),
                workload("echo", "10.244.2.7", "node-2", "echo", Map.of(key("echo"), PortList.getDefaultInstance()))));
        if (waypointKnown) {
            workloads.add(waypointPod());
        }
        return MeshState.of(workloads, List.of(echo), List.of(denyEcho()));
    }

    @Test
    void throughAWaypointTheSourceIsTheWaypointWorkload() {
        MeshState state = withWaypoint(true);
        new HboneInboundHandler("node-2", () -> state, false, telemetry, new ConnectionTracker())
                .decide(fromWaypoint(Map.of("forwarded", "for=\"10.244.1.5:40000\"", "baggage", WAYPOINT_BAGGAGE)));

        assertThat(log).singleElement().asString().contains("src.addr=10.244.1.5:40000", "src.workload=waypoint",
                "src.namespace=default", "src.identity=" + WAYPOINT);
        assertThat(tag("source_workload")).isEqualTo("waypoint");
        assertThat(tag("source_workload_namespace")).isEqualTo("default");
        assertThat(tag("source_canonical_service")).isEqualTo("waypoint");
    }

    @Test
    void anUnknownVerifiedPeerIsNamedByItsBaggageInItsOwnNamespaceOnly() {
        MeshState state = withWaypoint(false);
        HboneInboundHandler handler = new HboneInboundHandler("node-2", () -> state, false, telemetry,
                new ConnectionTracker());

        handler.decide(fromWaypoint(Map.of("baggage", WAYPOINT_BAGGAGE)));
        handler.decide(fromWaypoint(Map.of("baggage", WAYPOINT_BAGGAGE.replace("=default", "=kube-system"))));
        handler.decide(fromWaypoint(Map.of()));

        assertThat(log).hasSize(3);
        assertThat(log.get(0)).contains("src.workload=waypoint", "src.namespace=default", "src.identity=" + WAYPOINT);
        assertThat(log.get(1)).as("a namespace the identity does not prove is ignored")
                .contains("src.workload=unknown", "src.namespace=unknown", "src.identity=" + WAYPOINT)
                .doesNotContain("kube-system");
        assertThat(log.get(2)).contains("src.workload=unknown", "src.identity=" + WAYPOINT);
    }

    @Test
    void reportsIstiosStandardLabelsOfBothEnds() {
        Workload curl = workload("curl", "10.244.1.5", "node-1", "curl", Map.of()).toBuilder()
                .putLabels("version", "v1").setCanonicalName("curl").setCanonicalRevision("v1").build();
        Workload echo = workload("echo", "10.244.2.7", "node-2", "echo", Map.of(key("echo"),
                PortList.getDefaultInstance())).toBuilder().clearLabels().putLabels("app", "echo")
                .putLabels("app.kubernetes.io/name", "other").putLabels("app.kubernetes.io/version", "v2")
                .setCanonicalName("echo-svc").setClusterId("east").build();
        MeshState state = MeshState.of(List.of(curl, echo), List.of(service("echo", "10.96.0.10", 80, 8080)),
                List.of(denyEcho()));
        new HboneInboundHandler("node-2", () -> state, false, telemetry, new ConnectionTracker())
                .decide(connect("10.244.2.7:8080"));

        assertThat(tag("source_app")).isEqualTo("curl");
        assertThat(tag("source_version")).isEqualTo("v1");
        assertThat(tag("source_canonical_service")).isEqualTo("curl");
        assertThat(tag("source_canonical_revision")).isEqualTo("v1");
        assertThat(tag("source_cluster")).isEqualTo("Kubernetes");
        assertThat(tag("destination_app")).as("app beats app.kubernetes.io/name").isEqualTo("echo");
        assertThat(tag("destination_version")).isEqualTo("v2");
        assertThat(tag("destination_canonical_service")).isEqualTo("echo-svc");
        assertThat(tag("destination_canonical_revision")).as("no revision: latest").isEqualTo("latest");
        assertThat(tag("destination_cluster")).isEqualTo("east");
    }
}
