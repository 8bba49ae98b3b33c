package dev.meshctl.nodeagent.telemetry;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Describes a connection for telemetry, fixed when it opens.
 *
 * @param direction which side this agent is on
 * @param sourceAddress the client's address
 * @param destinationAddress the address the client asked for (pod or service VIP and port)
 * @param source the client workload
 * @param destination the server workload
 * @param destinationService the service the client asked for, or {@link ServiceRef#UNKNOWN}
 * @param mutualTls whether the connection is carried or was received over mutual TLS
 */
public record ConnectionAttributes(Direction direction, InetSocketAddress sourceAddress,
                                   InetSocketAddress destinationAddress, Peer source, Peer destination,
                                   ServiceRef destinationService, boolean mutualTls) {

    /** Checks every part and turns a missing service into {@link ServiceRef#UNKNOWN}. */
    public ConnectionAttributes {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(destinationAddress, "destinationAddress");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        destinationService = destinationService == null ? ServiceRef.UNKNOWN : destinationService;
    }

    /** Returns the metrics' {@code connection_security_policy} value. */
    public String securityPolicy() {
        return mutualTls ? "mutual_tls" : "none";
    }
}
