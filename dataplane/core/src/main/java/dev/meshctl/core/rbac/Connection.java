package dev.meshctl.core.rbac;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.identity.SpiffeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Describes what authorization sees of one connection: who connects from where, and to which workload and port.
 *
 * @param sourcePrincipal the peer's principal, {@code <td>/ns/<ns>/sa/<sa>}; empty for plaintext
 * @param sourceNamespace the peer's namespace, read from its principal; empty without one
 * @param sourceIp the address the connection came from
 * @param destinationIp the address the connection was made to
 * @param destinationPort the port the connection was made to
 * @param destinationNamespace the namespace of the destination workload
 * @param destinationLabels the labels of the destination workload
 */
public record Connection(
        Optional<String> sourcePrincipal,
        Optional<String> sourceNamespace,
        InetAddress sourceIp,
        InetAddress destinationIp,
        int destinationPort,
        String destinationNamespace,
        Map<String, String> destinationLabels) {

    private static final String SPIFFE = "spiffe://";

    /** Checks every part and copies the labels. */
    public Connection {
        Objects.requireNonNull(sourcePrincipal, "sourcePrincipal");
        Objects.requireNonNull(sourceNamespace, "sourceNamespace");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(destinationIp, "destinationIp");
        Objects.requireNonNull(destinationNamespace, "destinationNamespace");
        destinationLabels = Map.copyOf(Objects.requireNonNull(destinationLabels, "destinationLabels"));
        if (destinationPort < 0 || destinationPort > 65535) {
            throw new IllegalArgumentException("destination port " + destinationPort + " is not in 0..65535");
        }
        sourcePrincipal = sourcePrincipal.map(Connection::principal).filter(p -> !p.isEmpty());
    }

    /**
     * Returns a connection whose source namespace is read from {@code sourcePrincipal} (a principal or a SPIFFE URI).
     */
    public static Connection of(Optional<String> sourcePrincipal, InetAddress sourceIp, InetSocketAddress destination,
            String destinationNamespace, Map<String, String> destinationLabels) {
        Objects.requireNonNull(sourcePrincipal, "sourcePrincipal");
        Objects.requireNonNull(destination, "destination");
        Optional<String> principal = sourcePrincipal.map(Connection::principal).filter(p -> !p.isEmpty());
        InetAddress destinationIp = destination.getAddress();
        if (destinationIp == null) {
            throw new IllegalArgumentException("destination " + destination + " is unresolved; pass an IP address");
        }
        return new Connection(principal, principal.flatMap(Connection::namespaceOf), sourceIp, destinationIp,
                destination.getPort(), destinationNamespace, destinationLabels);
    }

    /** Returns a connection from {@code peer} (empty for plaintext) at {@code source} to {@code workload}. */
    public static Connection toWorkload(Optional<SpiffeId> peer, InetSocketAddress source,
            InetSocketAddress destination, Workload workload) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(workload, "workload");
        if (source.getAddress() == null) {
            throw new IllegalArgumentException("source " + source + " is unresolved; pass an IP address");
        }
        return of(peer.map(SpiffeId::principal), source.getAddress(), destination, workload.getNamespace(),
                workload.getLabelsMap());
    }

    /**
     * Returns the namespace in a principal {@code <td>/ns/<ns>/sa/<sa>}, or empty if it is not of that form.
     */
    public static Optional<String> namespaceOf(String principal) {
        Objects.requireNonNull(principal, "principal");
        String[] parts = principal(principal).split("/", -1);
        if (parts.length == 5 && "ns".equals(parts[1]) && "sa".equals(parts[3]) && !parts[2].isEmpty()) {
            return Optional.of(parts[2]);
        }
        return Optional.empty();
    }

    // Policies name principals without the scheme, as Istio does.
    private static String principal(String principalOrUri) {
        return principalOrUri.startsWith(SPIFFE) ? principalOrUri.substring(SPIFFE.length()) : principalOrUri;
    }
}
