package dev.meshctl.core.hbone;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Describes one inbound HBONE CONNECT for the {@link InboundHandler} to decide on.
 *
 * @param peerIdentity the client's verified SPIFFE id
 * @param peerAddress the TCP address the HBONE connection came from
 * @param localAddress the address it was made to (the destination pod or waypoint)
 * @param target the {@code :authority} host and port (unresolved)
 * @param headers the request's regular headers, lower-case names, e.g. {@code forwarded} and {@code baggage}
 */
public record ConnectRequest(String peerIdentity, InetSocketAddress peerAddress, InetSocketAddress localAddress,
                             InetSocketAddress target, Map<String, String> headers) {

    /** Checks that every part is present. */
    public ConnectRequest {
        Objects.requireNonNull(peerIdentity, "peerIdentity");
        Objects.requireNonNull(peerAddress, "peerAddress");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(target, "target");
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    /** Returns the value of header {@code name} (lower case), if sent. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
