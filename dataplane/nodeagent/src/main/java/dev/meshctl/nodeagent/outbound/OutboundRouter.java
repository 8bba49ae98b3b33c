package dev.meshctl.nodeagent.outbound;

import dev.meshctl.api.mesh.GatewayAddress;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.nodeagent.state.Endpoint;
import dev.meshctl.nodeagent.state.MeshState;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides where a captured outbound connection goes, from mesh state alone (no sockets, no clocks), as ztunnel's
 * {@code build_request} does:
 *
 * <ol>
 *   <li>a connection to one of the agent's own listeners is refused (it would loop);
 *   <li>the source must be a workload on this node;
 *   <li>to a service VIP on a known port: through the service's waypoint if it has one, else to one healthy
 *       endpoint on its target port, handled as below (a workload's own waypoint is only for traffic addressed to the
 *       workload, as Istio's {@code waypoint-for: workload});
 *   <li>to a workload: through its waypoint if it has one, over HBONE if it is in the mesh, else plain TCP;
 *   <li>anything else: plain TCP to the original destination.
 * </ol>
 *
 * <pre>{@code
 * OutboundRouter router = new OutboundRouter(LoadBalancer.perService(new SplittableRandom()), nodeAddresses);
 * switch (router.decide(client, originalDst, state, "node-1")) { ... }
 * }</pre>
 */
public final class OutboundRouter {

    /** The HBONE port of node agents and waypoints. */
    public static final int HBONE_PORT = 15008;

    /** The agent's own listener ports: outbound, inbound plaintext, HBONE, admin, metrics, readiness. */
    public static final Set<Integer> AGENT_PORTS = Set.of(15001, 15006, HBONE_PORT, 15000, 15020, 15021);

    private final LoadBalancer loadBalancer;
    private final Set<InetAddress> agentAddresses;

    /**
     * Creates a router.
     *
     * @param loadBalancer picks a service's endpoint
     * @param agentAddresses the node's own addresses, where the agent's listeners are; loopback is always included
     */
    public OutboundRouter(LoadBalancer loadBalancer, Collection<InetAddress> agentAddresses) {
        this.loadBalancer = Objects.requireNonNull(loadBalancer, "loadBalancer");
        this.agentAddresses = Set.copyOf(Objects.requireNonNull(agentAddresses, "agentAddresses"));
    }

    /** Returns the route for a connection from {@code source} to {@code originalDestination} on node {@code localNode}. */
    public OutboundRoute decide(InetSocketAddress source, InetSocketAddress originalDestination, MeshState state,
            String localNode) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(originalDestination, "originalDestination");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(localNode, "localNode");
        InetAddress dst = originalDestination.getAddress();
        if (dst == null || source.getAddress() == null) {
            return new OutboundRoute.Reject("BUG: captured connection " + source + " -> " + originalDestination
                    + " has an unresolved address");
        }
        int port = originalDestination.getPort();
        if (AGENT_PORTS.contains(port) && (dst.isLoopbackAddress() || dst.isAnyLocalAddress()
                || agentAddresses.contains(dst))) {
            return new OutboundRoute.Reject("destination " + hostPort(dst, port)
                    + " is the node agent's own listener; refusing it to avoid a loop");
        }
        Optional<Workload> local = state.workloadByIp(source.getAddress()).filter(w -> w.getNode().equals(localNode));
        if (local.isEmpty()) {
            return new OutboundRoute.Reject("source is not a local workload: no workload with IP "
                    + NetUtil.toAddressString(source.getAddress()) + " runs on node " + localNode);
        }
        Workload from = local.get();
        Waypoints waypoints = new Waypoints(state, loadBalancer);

        Optional<Service> service = state.serviceByVip(dst);
        if (service.isPresent()) {
            return toService(from, service.get(), originalDestination, state, waypoints);
        }
        Optional<Workload> workload = state.workloadByIp(dst);
        if (workload.isPresent()) {
            Optional<GatewayAddress> waypoint = MeshState.waypointOf(workload.get());
            if (waypoint.isPresent() && !waypoints.isInstance(from, waypoint.get())) {
                return viaWaypoint(from, waypoint.get(), originalDestination, workload, Optional.empty(), waypoints,
                        "workload " + workload.get().getNamespace() + "/" + workload.get().getName());
            }
            return direct(from, workload.get(), dst, port, Optional.empty());
        }
        return new OutboundRoute.Passthrough(originalDestination, from);
    }

    private OutboundRoute toService(Workload from, Service service, InetSocketAddress vip, MeshState state,
            Waypoints waypoints) {
        int servicePort = vip.getPort();
        Optional<Port> port = service.getPortsList().stream().filter(p -> p.getServicePort() == servicePort).findFirst();
        if (port.isEmpty()) {
            return new OutboundRoute.Passthrough(vip, from);
        }
        String name = MeshState.keyOf(service);
        Optional<GatewayAddress> waypoint = MeshState.waypointOf(service);
        if (waypoint.isPresent() && !waypoints.isInstance(from, waypoint.get())) {
            return viaWaypoint(from, waypoint.get(), vip, Optional.empty(), Optional.of(service), waypoints,
                    "service " + name);
        }
        List<Endpoint> endpoints = state.endpoints(service);
        if (endpoints.isEmpty()) {
            return new OutboundRoute.Reject("no healthy endpoint for service " + name + " port " + servicePort);
        }
        Endpoint picked = loadBalancer.choose(service, endpoints);
        int targetPort = picked.targetPort(servicePort).orElse(servicePort);
        return direct(from, picked.workload(), picked.address(), targetPort, Optional.of(service));
    }

    private static OutboundRoute viaWaypoint(Workload from, GatewayAddress waypoint, InetSocketAddress target,
            Optional<Workload> destination, Optional<Service> service, Waypoints waypoints, String what) {
        Optional<Waypoints.Instance> instance = waypoints.resolve(waypoint);
        if (instance.isEmpty()) {
            return new OutboundRoute.Reject("waypoint " + Waypoints.describe(waypoint) + " of " + what
                    + " has no ready instance with a known identity; check the waypoint's pods and its GatewayAddress");
        }
        return new OutboundRoute.Hbone(instance.get().address(), hostPort(target.getAddress(), target.getPort()),
                List.of(instance.get().identity()), from, destination, service, true);
    }

    private static OutboundRoute direct(Workload from, Workload to, InetAddress ip, int port, Optional<Service> service) {
        if (to.getTunnelProtocol() == TunnelProtocol.HBONE) {
            return new OutboundRoute.Hbone(new InetSocketAddress(ip, HBONE_PORT), hostPort(ip, port),
                    List.of(MeshState.identityOf(to)), from, Optional.of(to), service, false);
        }
        return new OutboundRoute.Passthrough(new InetSocketAddress(ip, port), from);
    }

    /** Returns {@code ip:port}, bracketing IPv6 as an authority must. */
    static String hostPort(InetAddress ip, int port) {
        String host = NetUtil.toAddressString(ip);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
