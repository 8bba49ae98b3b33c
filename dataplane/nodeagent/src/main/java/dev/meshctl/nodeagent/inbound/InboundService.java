package dev.meshctl.nodeagent.inbound;

import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.PortList;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.nodeagent.state.MeshState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Works out, on the destination side, which service an inbound connection was for. The source's agent knows it (the
 * VIP its client dialled) but the tunnel names a pod, so the destination applies one rule, in order:
 * <ol>
 *   <li>the target (the CONNECT's {@code :authority}, or a plaintext connection's original destination) is a
 *       service VIP: that service;</li>
 *   <li>exactly one service selects the destination workload and sends to the target port (its target port, or the
 *       workload's own mapping): that service;</li>
 *   <li>otherwise (none, or several, e.g. {@code reviews} and {@code reviews-v1} on the same pod and port): none,
 *       reported as {@code unknown} rather than a guess.</li>
 * </ol>
 */
public final class InboundService {

    private InboundService() {
    }

    /** Returns the service that {@code targetHost:port} on {@code destination} was reached through, if one rule names it. */
    public static Optional<Service> resolve(MeshState state, InetAddress targetHost, int port,
                                            Optional<Workload> destination) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(targetHost, "targetHost");
        Objects.requireNonNull(destination, "destination");
        Optional<Service> byVip = state.serviceByVip(targetHost);
        if (byVip.isPresent()) {
            return byVip;
        }
        if (destination.isEmpty()) {
            return Optional.empty();
        }
        Workload w = destination.get();
        List<Service> matches = new ArrayList<>();
        for (String key : w.getServicesMap().keySet()) {
            state.serviceByKey(key).filter(s -> sendsTo(s, w.getServicesMap().get(key), port)).ifPresent(matches::add);
        }
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    private static boolean sendsTo(Service service, PortList workloadPorts, int port) {
        for (Port p : service.getPortsList()) {
            int target = p.getTargetPort() == 0 ? p.getServicePort() : p.getTargetPort();
            for (Port own : workloadPorts.getPortsList()) {
                if (own.getServicePort() == p.getServicePort() && own.getTargetPort() != 0) {
                    target = own.getTargetPort();
                }
            }
            if (target == port) {
                return true;
            }
        }
        return false;
    }
}
