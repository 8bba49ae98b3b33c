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
 * @param destinationService the service host name, or {@code unknown}
 * @param mutualTls whether the connection is carried or was received over mutual TLS
 */
public record ConnectionAttributes(Direction direction, InetSocketAddress sourceAddress,
                                   InetSocketAddress destinationAddress, Peer source, Peer destination,
                                   String destinationService, boolean mutualTls) {

    /** Checks every part and turns a missing service into {@code unknown}. */
    public ConnectionAttributes {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(destinationAddress, "destinationAddress");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        destinationService = Peer.orUnknown(destinationService);
    }

    /** Returns the metrics' {@code connection_security_policy} value. */
    public String securityPolicy() {
        return mutualTls ? "mutual_tls" : "none";
    }
}
