package dev.meshctl.nodeagent.outbound;

import static dev.meshctl.nodeagent.outbound.Mesh.CLIENT;
import static dev.meshctl.nodeagent.outbound.Mesh.LOCAL;
import static dev.meshctl.nodeagent.outbound.Mesh.PINNED;
import static dev.meshctl.nodeagent.outbound.Mesh.REVIEWS;
import static dev.meshctl.nodeagent.outbound.Mesh.SERVER_1;
import static dev.meshctl.nodeagent.outbound.Mesh.SERVER_ID;
import static dev.meshctl.nodeagent.outbound.Mesh.STATE;
import static dev.meshctl.nodeagent.outbound.Mesh.V6;
import static dev.meshctl.nodeagent.outbound.Mesh.WAYPOINT;
import static dev.meshctl.nodeagent.outbound.Mesh.WAYPOINT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per routing case, in the spirit of ztunnel's {@code build_request} tests: no sockets, only decisions. */
class OutboundRouterTest {

    private static final OutboundRouter ROUTER = new OutboundRouter((service, candidates) -> candidates.get(0),
            List.of(NetUtil.createInetAddressFromIpAddressString("10.0.1.254")));

    static Stream<Arguments> rows() {
        return Stream.of(
                // loops and sources
                row("loopback outbound listener", "10.0.1.1", "127.0.0.1:15001", reject("own listener")),
                row("loopback admin port", "10.0.1.1", "127.0.0.1:15000", reject("own listener")),
                row("node address HBONE port", "10.0.1.1", "10.0.1.254:15008", reject("10.0.1.254:15008 is the node agent's own listener")),
                row("node address, other port", "10.0.1.1", "10.0.1.254:22", passthrough("10.0.1.254", 22, CLIENT)),
                row("loopback, other port", "10.0.1.1", "127.0.0.1:8080", passthrough("127.0.0.1", 8080, CLIENT)),
                row("unknown source", "10.9.9.9", "10.0.2.5:8080", reject("source is not a local workload: no workload with IP 10.9.9.9 runs on node local-node")),
                row("source on another node", "10.0.2.1", "10.0.2.5:8080", reject("source is not a local workload")),
                // workloads
                row("unknown destination", "10.0.1.1", "1.2.3.4:80", passthrough("1.2.3.4", 80, CLIENT)),
                row("workload in mesh", "10.0.1.1", "10.0.2.5:8080",
                        hbone("10.0.2.5", 15008, "10.0.2.5:8080", SERVER_ID, Optional.of(SERVER_1), Optional.empty(), false)),
                row("workload out of mesh", "10.0.1.1", "10.0.3.5:8080", passthrough("10.0.3.5", 8080, CLIENT)),
                row("workload with waypoint", "10.0.1.1", "10.0.2.10:8080",
                        hbone("10.0.1.9", 15008, "10.0.2.10:8080", WAYPOINT_ID, Optional.of(PINNED), Optional.empty(), true)),
                row("workload with waypoint, from the waypoint", "10.0.1.9", "10.0.2.10:8080",
                        hbone(WAYPOINT, "10.0.2.10", 15008, "10.0.2.10:8080", "spiffe://cluster.local/ns/default/sa/pinned",
                                Optional.of(PINNED), Optional.empty(), false)),
                row("IPv6 workload, own trust domain", "10.0.1.1", "[fd00::5]:80",
                        hbone("fd00::5", 15008, "[fd00::5]:80", "spiffe://example.org/ns/default/sa/v6", Optional.of(V6),
                                Optional.empty(), false)),
                // services
                row("service, target port from the workload", "10.0.1.1", "10.96.0.10:80",
                        hbone("10.0.2.5", 15008, "10.0.2.5:8080", SERVER_ID, Optional.of(SERVER_1), svc("10.96.0.10"), false)),
                row("service, target port unset means service port", "10.0.1.1", "10.96.0.10:9090",
                        hbone("10.0.2.5", 15008, "10.0.2.5:9090", SERVER_ID, Optional.of(SERVER_1), svc("10.96.0.10"), false)),
                row("service, unknown port", "10.0.1.1", "10.96.0.10:443", passthrough("10.96.0.10", 443, CLIENT)),
                row("service with waypoint", "10.0.1.1", "10.96.0.11:9080",
                        hbone("10.0.1.9", 15008, "10.96.0.11:9080", WAYPOINT_ID, Optional.empty(), svc("10.96.0.11"), true)),
                row("service with waypoint, from the waypoint", "10.0.1.9", "10.96.0.11:9080",
                        hbone(WAYPOINT, "10.0.2.20", 15008, "10.0.2.20:9080", "spiffe://cluster.local/ns/default/sa/reviews",
                                Optional.of(REVIEWS), svc("10.96.0.11"), false)),
                row("service with waypoint named by hostname", "10.0.1.1", "10.96.0.12:9080",
                        hbone("10.0.1.9", 15008, "10.96.0.12:9080", WAYPOINT_ID, Optional.empty(), svc("10.96.0.12"), true)),
                row("service whose waypoint has no instance", "10.0.1.1", "10.96.0.16:80",
                        reject("waypoint default/gone.default.svc.cluster.local of service default/lost.default.svc.cluster.local has no ready instance")),
                row("service without endpoints", "10.0.1.1", "10.96.0.13:80",
                        reject("no healthy endpoint for service default/empty.default.svc.cluster.local port 80")),
                row("service with only unhealthy endpoints", "10.0.1.1", "10.96.0.14:80",
                        reject("no healthy endpoint for service default/sick.default.svc.cluster.local")),
                row("service backed by a workload out of mesh", "10.0.1.1", "10.96.0.15:80",
                        passthrough("10.0.3.5", 8080, CLIENT)),
                row("service ignores its endpoint's workload waypoint", "10.0.1.1", "10.96.0.17:80",
                        hbone("10.0.2.10", 15008, "10.0.2.10:8080", "spiffe://cluster.local/ns/default/sa/pinned",
                                Optional.of(PINNED), svc("10.96.0.17"), false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String name, String source, String destination, OutboundRoute expected) {
        OutboundRoute actual = ROUTER.decide(address(source + ":40000"), address(destination), STATE, LOCAL);
        if (expected instanceof OutboundRoute.Reject want) {
            assertThat(actual).isInstanceOf(OutboundRoute.Reject.class);
            assertThat(((OutboundRoute.Reject) actual).reason()).contains(want.reason());
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(host),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static Arguments row(String name, String source, String destination, OutboundRoute expected) {
        return arguments(name, source, destination, expected);
    }

    private static Optional<Service> svc(String vip) {
        return STATE.serviceByVip(vip);
    }

    private static OutboundRoute reject(String fragment) {
        return new OutboundRoute.Reject(fragment);
    }

    private static OutboundRoute passthrough(String ip, int port, Workload source) {
        return new OutboundRoute.Passthrough(address(ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port), source);
    }

    private static OutboundRoute hbone(String ip, int port, String authority, String identity,
            Optional<Workload> destination, Optional<Service> service, boolean viaWaypoint) {
        return hbone(CLIENT, ip, port, authority, identity, destination, service, viaWaypoint);
    }

    private static OutboundRoute hbone(Workload source, String ip, int port, String authority, String identity,
            Optional<Workload> destination, Optional<Service> service, boolean viaWaypoint) {
        InetSocketAddress nextHop = address(ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port);
        return new OutboundRoute.Hbone(nextHop, authority, List.of(identity), source, destination, service, viaWaypoint);
    }
}
