package dev.meshctl.nodeagent.state;

import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.GatewayAddress;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.api.mesh.WorkloadStatus;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.rbac.PolicyScope;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers the node agent's questions about the mesh from one immutable config: which workload or service owns an IP,
 * which workloads back a service, which run on a node, which policies apply to a workload.
 *
 * <p>Addresses that are not IP literals are left out of the IP indexes (names are never looked up). When two workloads
 * claim one IP, the one with the smaller uid wins, so lookups do not depend on arrival order.
 *
 * <pre>{@code
 * MeshState state = MeshState.of(configClient.current());
 * Optional<Workload> w = state.workloadByIp("10.244.1.5");
 * }</pre>
 */
public final class MeshState {

    /** The trust domain of identities whose workload names none. */
    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

    private static final Comparator<Workload> BY_UID = Comparator.comparing(Workload::getUid);
    private static final MeshState EMPTY = of(List.of(), List.of(), List.of());

    private final List<Workload> workloads;
    private final List<Service> services;
    private final List<Authorization> policies;
    private final Map<InetAddress, Workload> workloadsByIp = new HashMap<>();
    private final Map<InetAddress, Service> servicesByVip = new HashMap<>();
    private final Map<String, Service> servicesByKey = new HashMap<>();
    private final Map<String, List<Workload>> backends = new HashMap<>();

    private MeshState(Collection<Workload> workloads, Collection<Service> services, Collection<Authorization> policies) {
        this.workloads = workloads.stream().sorted(BY_UID).toList();
        this.services = services.stream().sorted(Comparator.comparing(MeshState::keyOf)).toList();
        this.policies = List.copyOf(policies);
        for (Workload w : this.workloads) {
            for (String address : w.getAddressesList()) {
                ip(address).ifPresent(ip -> workloadsByIp.putIfAbsent(ip, w));
            }
            for (String service : w.getServicesMap().keySet()) {
                backends.computeIfAbsent(service, k -> new ArrayList<>()).add(w);
            }
        }
        for (Service s : this.services) {
            servicesByKey.put(keyOf(s), s);
            for (String vip : s.getAddressesList()) {
                ip(vip).ifPresent(ip -> servicesByVip.putIfAbsent(ip, s));
            }
        }
    }

    /** Returns a state with nothing in it. */
    public static MeshState empty() {
        return EMPTY;
    }

    /** Returns the state held in a config client's {@link ConfigState}. */
    public static MeshState of(ConfigState config) {
        Objects.requireNonNull(config, "config");
        return of(config.resources(Workload.class).values(), config.resources(Service.class).values(),
                config.resources(Authorization.class).values());
    }

    /** Returns a state holding exactly these resources. */
    public static MeshState of(Collection<Workload> workloads, Collection<Service> services,
            Collection<Authorization> policies) {
        Objects.requireNonNull(workloads, "workloads");
        Objects.requireNonNull(services, "services");
        Objects.requireNonNull(policies, "policies");
        return new MeshState(workloads, services, policies);
    }

    /** Returns every workload, by uid. */
    public List<Workload> workloads() {
        return workloads;
    }

    /** Returns every service, by {@code namespace/hostname}. */
    public List<Service> services() {
        return services;
    }

    /** Returns every policy, enforced or dry-run. */
    public List<Authorization> policies() {
        return policies;
    }

    /** Returns the workload that owns {@code ip}; empty for an unknown address or a string that is not an IP. */
    public Optional<Workload> workloadByIp(String ip) {
        Objects.requireNonNull(ip, "ip");
        return ip(ip).flatMap(this::workloadByIp);
    }

    /** Returns the workload that owns {@code ip}. */
    public Optional<Workload> workloadByIp(InetAddress ip) {
        Objects.requireNonNull(ip, "ip");
        return Optional.ofNullable(workloadsByIp.get(ip));
    }

    /** Returns the service with virtual IP {@code ip}; empty for an unknown address or a string that is not an IP. */
    public Optional<Service> serviceByVip(String ip) {
        Objects.requireNonNull(ip, "ip");
        return ip(ip).flatMap(this::serviceByVip);
    }

    /** Returns the service with virtual IP {@code ip}. */
    public Optional<Service> serviceByVip(InetAddress ip) {
        Objects.requireNonNull(ip, "ip");
        return Optional.ofNullable(servicesByVip.get(ip));
    }

    /** Returns the service named {@code namespace/hostname}. */
    public Optional<Service> serviceByKey(String key) {
        Objects.requireNonNull(key, "key");
        return Optional.ofNullable(servicesByKey.get(key));
    }

    /** Returns the service whose hostname is {@code hostname} (e.g. {@code waypoint.default.svc.cluster.local}). */
    public Optional<Service> serviceByHostname(String hostname) {
        Objects.requireNonNull(hostname, "hostname");
        return services.stream().filter(s -> s.getHostname().equals(hostname)).findFirst();
    }

    /**
     * Returns the healthy workloads backing {@code service}, by uid, each with its first IP address and the port it
     * listens on for each service port (the workload's own mapping first, then the service's target port, then the
     * service port itself).
     */
    public List<Endpoint> endpoints(Service service) {
        Objects.requireNonNull(service, "service");
        String key = keyOf(service);
        List<Endpoint> out = new ArrayList<>();
        for (Workload w : backends.getOrDefault(key, List.of())) {
            if (w.getStatus() != WorkloadStatus.HEALTHY) {
                continue;
            }
            Optional<InetAddress> address = w.getAddressesList().stream().map(MeshState::ip)
                    .flatMap(Optional::stream).findFirst();
            if (address.isEmpty()) {
                continue;
            }
            Map<Integer, Integer> ports = new LinkedHashMap<>();
            for (Port p : service.getPortsList()) {
                ports.put(p.getServicePort(), p.getTargetPort() == 0 ? p.getServicePort() : p.getTargetPort());
            }
            for (Port p : w.getServicesMap().getOrDefault(key, PortList.getDefaultInstance()).getPortsList()) {
                if (p.getTargetPort() != 0) {
                    ports.put(p.getServicePort(), p.getTargetPort());
                }
            }
            out.add(new Endpoint(w, address.get(), ports));
        }
        return List.copyOf(out);
    }

    /** Returns the workloads scheduled on {@code node}, by uid. */
    public List<Workload> localWorkloads(String node) {
        Objects.requireNonNull(node, "node");
        return workloads.stream().filter(w -> w.getNode().equals(node)).toList();
    }

    /** Returns the policies, enforced or dry-run, whose scope selects {@code workload}. */
    public List<Authorization> policiesFor(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        return policies.stream()
                .filter(p -> PolicyScope.appliesTo(p, workload.getNamespace(), workload.getLabelsMap()))
                .toList();
    }

    /** Returns the waypoint that traffic to {@code service} goes through, if one is bound. */
    public static Optional<GatewayAddress> waypointOf(Service service) {
        Objects.requireNonNull(service, "service");
        return service.hasWaypoint() ? Optional.of(service.getWaypoint()) : Optional.empty();
    }

    /** Returns the waypoint that traffic addressed to {@code workload} goes through, if one is bound. */
    public static Optional<GatewayAddress> waypointOf(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        return workload.hasWaypoint() ? Optional.of(workload.getWaypoint()) : Optional.empty();
    }

    /** Returns the SPIFFE URI of {@code workload}, defaulting the trust domain and service account as Kubernetes does. */
    public static String identityOf(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        String td = workload.getTrustDomain().isEmpty() ? DEFAULT_TRUST_DOMAIN : workload.getTrustDomain();
        String sa = workload.getServiceAccount().isEmpty() ? "default" : workload.getServiceAccount();
        return "spiffe://" + td + "/ns/" + workload.getNamespace() + "/sa/" + sa;
    }

    /** Returns how workloads name {@code service} in their {@code services} map: {@code namespace/hostname}. */
    public static String keyOf(Service service) {
        Objects.requireNonNull(service, "service");
        return service.getNamespace() + "/" + service.getHostname();
    }

    private static Optional<InetAddress> ip(String text) {
        return Optional.ofNullable(NetUtil.createInetAddressFromIpAddressString(text));
    }

    @Override
    public String toString() {
        return "MeshState{workloads=" + workloads.size() + " services=" + services.size() + " policies="
                + policies.size() + "}";
    }
}
