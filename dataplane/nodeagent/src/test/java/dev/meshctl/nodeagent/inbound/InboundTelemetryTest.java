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
}
