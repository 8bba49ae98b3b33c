package dev.meshctl.waypoint.upstream;

import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.api.mesh.WorkloadStatus;
import dev.meshctl.core.rbac.CidrBlock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Finds the healthy endpoints of a service port from the Workload resources. */
public final class EndpointResolver {

    private EndpointResolver() {
    }

    /**
     * Returns the healthy workloads backing {@code serviceKey} ("namespace/hostname") on {@code servicePort}, in uid
     * order, each with the target port its own port list maps to.
     */
    public static List<Endpoint> resolve(Collection<Workload> workloads, String serviceKey, int servicePort) {
        Objects.requireNonNull(workloads, "workloads");
        Objects.requireNonNull(serviceKey, "serviceKey");
        List<Endpoint> out = new ArrayList<>();
        for (Workload w : workloads) {
            PortList ports = w.getServicesMap().get(serviceKey);
            if (ports == null || w.getStatus() != WorkloadStatus.HEALTHY || w.getAddressesCount() == 0) {
                continue;
            }
            Optional<Port> port = ports.getPortsList().stream().filter(p -> p.getServicePort() == servicePort)
                    .findFirst();
            // A workload listing the service without ports serves it on the same port number.
            Port chosen = port.orElse(ports.getPortsCount() == 0
                    ? Port.newBuilder().setServicePort(servicePort).setTargetPort(servicePort).build() : null);
            if (chosen != null) {
                out.add(endpoint(w, chosen.getTargetPort() == 0 ? servicePort : chosen.getTargetPort(),
                        chosen.getAppProtocol()));
            }
        }
        out.sort(Comparator.comparing(Endpoint::uid));
        return out;
    }

    /** Returns {@code w} as an endpoint on {@code port}. */
    public static Endpoint endpoint(Workload w, int port, String appProtocol) {
        String td = w.getTrustDomain().isEmpty() ? "cluster.local" : w.getTrustDomain();
        String sa = w.getServiceAccount().isEmpty() ? "default" : w.getServiceAccount();
        return new Endpoint(w.getUid(), w.getName(), w.getNamespace(),
                w.getWorkloadName().isEmpty() ? w.getName() : w.getWorkloadName(),
                CidrBlock.parseIp(w.getAddresses(0)), port,
                "spiffe://" + td + "/ns/" + w.getNamespace() + "/sa/" + sa, appProtocol);
    }
}
