package dev.meshctl.nodeagent.outbound;

import dev.meshctl.api.mesh.GatewayAddress;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.api.mesh.WorkloadStatus;
import dev.meshctl.nodeagent.state.MeshState;
import java.util.List;

/** A small mesh for the routing tests: two nodes, pods in and out of the mesh, services with and without waypoints. */
final class Mesh {

    static final String LOCAL = "local-node";
    static final String REMOTE = "remote-node";
    static final String WAYPOINT_ID = "spiffe://cluster.local/ns/default/sa/waypoint";
    static final String SERVER_ID = "spiffe://cluster.local/ns/default/sa/server";

    static final String SERVER_SVC = "default/server.default.svc.cluster.local";
    static final String REVIEWS_SVC = "default/reviews.default.svc.cluster.local";
    static final String WAYPOINT_SVC = "default/waypoint.default.svc.cluster.local";
    static final String EMPTY_SVC = "default/empty.default.svc.cluster.local";
    static final String SICK_SVC = "default/sick.default.svc.cluster.local";
    static final String LEGACY_SVC = "default/legacy.default.svc.cluster.local";
    static final String LOST_SVC = "default/lost.default.svc.cluster.local";
    static final String PINNED_SVC = "default/pinned.default.svc.cluster.local";

    static final GatewayAddress WAYPOINT_BY_IP = GatewayAddress.newBuilder().setAddress("10.0.1.9")
            .setHbonePort(15008).setIdentity(WAYPOINT_ID).build();
    static final GatewayAddress WAYPOINT_BY_NAME = GatewayAddress.newBuilder().setAddress(WAYPOINT_SVC).build();

    static final Workload CLIENT = workload("client", "10.0.1.1", LOCAL, "curl", TunnelProtocol.HBONE).build();
    static final Workload REMOTE_CLIENT = workload("remote-client", "10.0.2.1", REMOTE, "curl", TunnelProtocol.HBONE)
            .build();
    static final Workload SERVER_1 = workload("server-1", "10.0.2.5", REMOTE, "server", TunnelProtocol.HBONE)
            .putServices(SERVER_SVC, ports(port(80, 8080))).build();
    static final Workload SERVER_2 = workload("server-2", "10.0.2.6", REMOTE, "server", TunnelProtocol.HBONE)
            .putServices(SERVER_SVC, ports(port(80, 8080))).build();
    static final Workload LEGACY = workload("legacy", "10.0.3.5", REMOTE, "legacy", TunnelProtocol.NONE)
            .putServices(LEGACY_SVC, ports(port(80, 8080))).build();
    static final Workload SICK = workload("sick", "10.0.2.7", REMOTE, "sick", TunnelProtocol.HBONE)
            .setStatus(WorkloadStatus.UNHEALTHY).putServices(SICK_SVC, ports(port(80, 8080))).build();
    static final Workload WAYPOINT = workload("waypoint", "10.0.1.9", LOCAL, "waypoint", TunnelProtocol.HBONE)
            .putServices(WAYPOINT_SVC, ports(port(15008, 15008))).build();
    static final Workload REVIEWS = workload("reviews", "10.0.2.20", REMOTE, "reviews", TunnelProtocol.HBONE)
            .putServices(REVIEWS_SVC, ports(port(9080, 9080))).build();
    static final Workload PINNED = workload("pinned", "10.0.2.10", REMOTE, "pinned", TunnelProtocol.HBONE)
            .setWaypoint(WAYPOINT_BY_IP).putServices(PINNED_SVC, ports(port(80, 8080))).build();
    static final Workload V6 = workload("v6", "fd00::5", REMOTE, "v6", TunnelProtocol.HBONE)
            .setTrustDomain("example.org").build();

    static final MeshState STATE = MeshState.of(
            List.of(CLIENT, REMOTE_CLIENT, SERVER_1, SERVER_2, LEGACY, SICK, WAYPOINT, REVIEWS, PINNED, V6),
            List.of(service("server", "10.96.0.10", port(80, 8080), port(9090, 0)).build(),
                    service("reviews", "10.96.0.11", port(9080, 9080)).setWaypoint(WAYPOINT_BY_IP).build(),
                    service("ratings", "10.96.0.12", port(9080, 9080)).setWaypoint(WAYPOINT_BY_NAME).build(),
                    service("waypoint", "10.96.0.19", port(15008, 15008)).build(),
                    service("empty", "10.96.0.13", port(80, 8080)).build(),
                    service("sick", "10.96.0.14", port(80, 8080)).build(),
                    service("legacy", "10.96.0.15", port(80, 8080)).build(),
                    service("lost", "10.96.0.16", port(80, 8080))
                            .setWaypoint(GatewayAddress.newBuilder().setAddress("default/gone.default.svc.cluster.local"))
                            .build(),
                    service("pinned", "10.96.0.17", port(80, 8080)).build()),
            List.of());

    private Mesh() {
    }

    static Workload.Builder workload(String name, String ip, String node, String sa, TunnelProtocol protocol) {
        return Workload.newBuilder().setUid("cluster1/default/" + name).setName(name).setNamespace("default")
                .setNode(node).addAddresses(ip).setServiceAccount(sa).setTunnelProtocol(protocol);
    }

    static Service.Builder service(String name, String vip, Port... ports) {
        return Service.newBuilder().setName(name).setNamespace("default")
                .setHostname(name + ".default.svc.cluster.local").addAddresses(vip).addAllPorts(List.of(ports));
    }

    static Port port(int servicePort, int targetPort) {
        return Port.newBuilder().setServicePort(servicePort).setTargetPort(targetPort).build();
    }

    static PortList ports(Port... ports) {
        return PortList.newBuilder().addAllPorts(List.of(ports)).build();
    }
}
