package dev.meshctl.nodeagent.outbound;

import dev.meshctl.api.mesh.GatewayAddress;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.nodeagent.state.Endpoint;
import dev.meshctl.nodeagent.state.MeshState;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** Finds the instance of a waypoint to tunnel to, and whether a workload is that waypoint. */
final class Waypoints {

    /** One reachable waypoint instance and the identity it must present. */
    record Instance(InetSocketAddress address, String identity, Optional<Workload> workload) {
    }

    private final MeshState state;
    private final LoadBalancer loadBalancer;

    Waypoints(MeshState state, LoadBalancer loadBalancer) {
        this.state = state;
        this.loadBalancer = loadBalancer;
    }

    /**
     * Returns the instance to tunnel to: the waypoint's IP, or for a hostname one healthy endpoint of the service of
     * that name. Empty when no instance is ready or the waypoint names no identity.
     */
    Optional<Instance> resolve(GatewayAddress waypoint) {
        int port = waypoint.getHbonePort() == 0 ? OutboundRouter.HBONE_PORT : waypoint.getHbonePort();
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(waypoint.getAddress());
        Optional<Workload> workload;
        if (ip != null) {
            workload = state.workloadByIp(ip);
        } else {
            Optional<Service> service = service(waypoint.getAddress());
            List<Endpoint> endpoints = service.map(state::endpoints).orElse(List.of());
            if (endpoints.isEmpty()) {
                return Optional.empty();
            }
            Endpoint picked = loadBalancer.choose(service.get(), endpoints);
            ip = picked.address();
            workload = Optional.of(picked.workload());
        }
        String identity = !waypoint.getIdentity().isEmpty()
                ? waypoint.getIdentity()
                : workload.map(MeshState::identityOf).orElse("");
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Instance(new InetSocketAddress(ip, port), identity, workload));
    }

    /**
     * Returns whether {@code source} is an instance of {@code waypoint}: it owns the waypoint's IP, backs the
     * waypoint's service, or carries the waypoint's identity. A waypoint's own traffic must not loop back into it.
     */
    boolean isInstance(Workload source, GatewayAddress waypoint) {
        if (!waypoint.getIdentity().isEmpty() && waypoint.getIdentity().equals(MeshState.identityOf(source))) {
            return true;
        }
        InetAddress ip = NetUtil.createInetAddressFromIpAddressString(waypoint.getAddress());
        if (ip != null) {
            return source.getAddressesList().stream()
                    .map(NetUtil::createInetAddressFromIpAddressString)
                    .anyMatch(ip::equals);
        }
        return service(waypoint.getAddress())
                .map(s -> source.getServicesMap().containsKey(MeshState.keyOf(s)))
                .orElse(false);
    }

    /** Returns a waypoint's service from {@code namespace/hostname} or a bare hostname. */
    private Optional<Service> service(String name) {
        return name.contains("/") ? state.serviceByKey(name) : state.serviceByHostname(name);
    }

    /** Returns how logs name a waypoint. */
    static String describe(GatewayAddress waypoint) {
        return waypoint.getAddress().isEmpty() ? "(no address)" : waypoint.getAddress();
    }
}
