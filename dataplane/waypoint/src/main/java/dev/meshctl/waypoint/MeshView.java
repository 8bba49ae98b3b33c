package dev.meshctl.waypoint;

import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.waypoint.route.RouteTable;
import dev.meshctl.waypoint.upstream.Endpoint;
import dev.meshctl.waypoint.upstream.EndpointResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The waypoint's view of one config state: which targets are bound to it, their endpoints, the route table and the
 * authorization policies it enforces. Immutable; rebuilt when the config changes.
 */
public final class MeshView {

    private final String identity;
    private final Map<String, Service> servicesByKey = new HashMap<>();
    private final Map<InetAddress, Service> servicesByVip = new HashMap<>();
    private final Map<InetAddress, Workload> workloadsByIp = new HashMap<>();
    private final List<Workload> workloads;
    private final List<Authorization> policies;
    private final RouteTable routes;
    /** Endpoints per "serviceKey:port", resolved on first use: the view is immutable, requests are many. */
    private final java.util.concurrent.ConcurrentHashMap<String, List<Endpoint>> endpoints =
            new java.util.concurrent.ConcurrentHashMap<>();

    private MeshView(ConfigState state, String identity) {
        this.identity = identity;
        for (Service s : state.resources(Service.class).values()) {
            servicesByKey.put(s.getNamespace() + "/" + s.getHostname(), s);
            for (String vip : s.getAddressesList()) {
                parse(vip).ifPresent(ip -> servicesByVip.put(ip, s));
            }
        }
        workloads = List.copyOf(state.resources(Workload.class).values());
        for (Workload w : workloads) {
            for (String ip : w.getAddressesList()) {
                parse(ip).ifPresent(a -> workloadsByIp.put(a, w));
            }
        }
        policies = state.resources(Authorization.class).values().stream()
                .filter(p -> p.getScope() == Scope.WAYPOINT).toList();
        routes = RouteTable.of(state.resources(Route.class).values());
    }

    /** Builds the view of {@code state} for the waypoint whose SPIFFE id is {@code identity}. */
    public static MeshView of(ConfigState state, String identity) {
        return new MeshView(Objects.requireNonNull(state, "state"), Objects.requireNonNull(identity, "identity"));
    }

    /**
     * Returns the destination {@code target} names when it is a service VIP:port or a pod IP:port bound to this
     * waypoint (its waypoint identity is ours), else empty.
     */
    public Optional<Destination> destination(InetSocketAddress unresolved) {
        Objects.requireNonNull(unresolved, "unresolved");
        Optional<InetAddress> ip = unresolved.getAddress() != null ? Optional.of(unresolved.getAddress())
                : parse(unresolved.getHostString());
        if (ip.isEmpty()) {
            return Optional.empty(); // names are never resolved: a target is an IP literal
        }
        InetSocketAddress target = new InetSocketAddress(ip.get(), unresolved.getPort());
        Service s = servicesByVip.get(target.getAddress());
        if (s != null) {
            if (!s.hasWaypoint() || !s.getWaypoint().getIdentity().equals(identity)) {
                return Optional.empty();
            }
            return s.getPortsList().stream().filter(p -> p.getServicePort() == target.getPort()).findFirst()
                    .map(p -> new Destination(target, Optional.of(s.getNamespace() + "/" + s.getHostname()),
                            Optional.empty(), s.getNamespace(), s.getName(), p));
        }
        Workload w = workloadsByIp.get(target.getAddress());
        if (w != null && w.hasWaypoint() && w.getWaypoint().getIdentity().equals(identity)) {
            Port port = w.getServicesMap().values().stream().flatMap(l -> l.getPortsList().stream())
                    .filter(p -> p.getTargetPort() == target.getPort()).findFirst()
                    .orElse(Port.newBuilder().setServicePort(target.getPort()).setTargetPort(target.getPort()).build());
            return Optional.of(new Destination(target, Optional.empty(), Optional.of(w.getUid()), w.getNamespace(),
                    w.getName(), port));
        }
        return Optional.empty();
    }

    /** Returns the service "namespace/hostname", if known. */
    public Optional<Service> service(String key) {
        return Optional.ofNullable(servicesByKey.get(key));
    }

    /** Returns the healthy endpoints of a service port. */
    public List<Endpoint> endpoints(String serviceKey, int servicePort) {
        return endpoints.computeIfAbsent(serviceKey + ":" + servicePort,
                k -> List.copyOf(EndpointResolver.resolve(workloads, serviceKey, servicePort)));
    }

    /** Returns the single endpoint of a workload destination. */
    public Optional<Endpoint> workloadEndpoint(Destination d) {
        return d.workloadUid().flatMap(uid -> workloads.stream().filter(w -> w.getUid().equals(uid)).findFirst())
                .map(w -> EndpointResolver.endpoint(w, d.port().getTargetPort(), d.port().getAppProtocol()));
    }

    /** Returns the workload with pod IP {@code ip}, if the mesh knows one. */
    public Optional<Workload> workloadAt(InetAddress ip) {
        return Optional.ofNullable(workloadsByIp.get(ip));
    }

    /** Returns the authorization policies of scope WAYPOINT. */
    public List<Authorization> policies() {
        return policies;
    }

    /** Returns the route table. */
    public RouteTable routes() {
        return routes;
    }

    private static Optional<InetAddress> parse(String ip) {
        try {
            return Optional.of(dev.meshctl.core.rbac.CidrBlock.parseIp(ip));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
