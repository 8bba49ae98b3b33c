package dev.meshctl.nodeagent.outbound;

import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Workload;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Says where one captured outbound connection goes; computed by {@link OutboundRouter}, carried out elsewhere. */
public sealed interface OutboundRoute {

    /**
     * Tunnels the connection over HBONE.
     *
     * @param nextHop where the TCP+TLS connection goes: {@code podIP:15008} or {@code waypointIP:15008}
     * @param authority the CONNECT target: {@code podIP:port}, or {@code VIP:port} for a service through a waypoint
     * @param expectedIdentities SPIFFE URIs the next hop's certificate may carry
     * @param source the local workload that opened the connection
     * @param destination the workload the connection is meant for, when known (empty when a waypoint picks it)
     * @param service the service the connection was addressed to, if any
     * @param viaWaypoint whether the next hop is a waypoint rather than the destination
     */
    record Hbone(InetSocketAddress nextHop, String authority, List<String> expectedIdentities, Workload source,
            Optional<Workload> destination, Optional<Service> service, boolean viaWaypoint) implements OutboundRoute {
        /** Checks every part and that some identity is expected. */
        public Hbone {
            Objects.requireNonNull(nextHop, "nextHop");
            Objects.requireNonNull(authority, "authority");
            expectedIdentities = List.copyOf(expectedIdentities);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(service, "service");
            if (expectedIdentities.isEmpty()) {
                throw new IllegalArgumentException("BUG: an HBONE route to " + nextHop + " expects no identity");
            }
        }
    }

    /**
     * Forwards the connection as plain TCP to {@code target}.
     *
     * @param target the address to connect to (the original destination, or a picked endpoint of a service)
     * @param source the local workload that opened the connection
     */
    record Passthrough(InetSocketAddress target, Workload source) implements OutboundRoute {
        /** Checks every part. */
        public Passthrough {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Refuses the connection (the executor resets it) for a reason fit for logs. */
    record Reject(String reason) implements OutboundRoute {
        /** Checks the reason is present. */
        public Reject {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
