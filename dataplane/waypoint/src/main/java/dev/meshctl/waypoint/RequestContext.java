package dev.meshctl.waypoint;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Says who sent a request and where it is going; fixed for the whole HBONE stream it came on.
 *
 * @param peerIdentity the downstream proxy's verified SPIFFE id ({@code spiffe://...})
 * @param client the original client address (from a trusted {@code forwarded} header, else the peer)
 * @param destination the service (or workload) the tunnel was opened to
 * @param baggage the members of the sending node agent's {@code baggage} header (the client's workload names)
 */
public record RequestContext(String peerIdentity, InetSocketAddress client, Destination destination,
                             Map<String, String> baggage) {

    /** Checks that every part is present. */
    public RequestContext {
        Objects.requireNonNull(peerIdentity, "peerIdentity");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(destination, "destination");
        baggage = Map.copyOf(Objects.requireNonNull(baggage, "baggage"));
    }

    /** Creates a context whose client workload is unknown. */
    public RequestContext(String peerIdentity, InetSocketAddress client, Destination destination) {
        this(peerIdentity, client, destination, Map.of());
    }

    /** Returns the client's workload (Deployment) name as the sender's {@code baggage} gives it. */
    public Optional<String> clientWorkload() {
        return Optional.ofNullable(baggage.get("k8s.deployment.name"));
    }

    /** Returns the peer's principal without {@code spiffe://}, as authorization policies spell it. */
    public String principal() {
        return peerIdentity.startsWith("spiffe://") ? peerIdentity.substring("spiffe://".length()) : peerIdentity;
    }

    /** Returns the peer's namespace (the {@code /ns/<ns>/} segment of its identity). */
    public Optional<String> peerNamespace() {
        String[] parts = principal().split("/");
        for (int i = 1; i + 1 < parts.length; i++) {
            if (parts[i].equals("ns")) {
                return Optional.of(parts[i + 1]);
            }
        }
        return Optional.empty();
    }
}
