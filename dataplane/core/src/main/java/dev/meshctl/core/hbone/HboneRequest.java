package dev.meshctl.core.hbone;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Describes one outbound HBONE stream to open.
 *
 * @param destination where the TCP connection goes: {@code <pod or waypoint IP>:15008}
 * @param authority the {@code :authority}: {@code <pod IP>:<port>} direct, {@code <service VIP>:<port>} via a waypoint
 * @param expectedIdentities SPIFFE ids the server may prove; must not be empty
 * @param sourceIdentity the local identity presenting its certificate
 * @param forwardedFor the original client address, sent as {@code forwarded: for="ip:port"}
 * @param baggage the {@code baggage} header value, e.g. {@code k8s.namespace.name=ns,service.name=svc}
 * @param sourceAddress the local IP the TCP connection is bound to (the client pod's IP, so the destination sees
 *                      it); empty for the host's choice. Part of the pool key: two source IPs never share a connection
 */
public record HboneRequest(InetSocketAddress destination, String authority, Set<String> expectedIdentities,
                           String sourceIdentity, Optional<InetSocketAddress> forwardedFor,
                           Optional<String> baggage, Optional<InetAddress> sourceAddress) {

    /** Checks that every part is present and that the server will be checked against some identity. */
    public HboneRequest {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(sourceIdentity, "sourceIdentity");
        Objects.requireNonNull(forwardedFor, "forwardedFor");
        Objects.requireNonNull(baggage, "baggage");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        expectedIdentities = Set.copyOf(Objects.requireNonNull(expectedIdentities, "expectedIdentities"));
        if (expectedIdentities.isEmpty()) {
            throw new IllegalArgumentException("no expected server identity for " + destination
                    + "; HBONE never connects to an unchecked peer");
        }
        if (Authority.parse(authority).isEmpty()) {
            throw new IllegalArgumentException("authority must be host:port, got '" + authority + "'");
        }
    }

    /** Creates a request whose TCP connection is bound wherever the host chooses. */
    public HboneRequest(InetSocketAddress destination, String authority, Set<String> expectedIdentities,
                        String sourceIdentity, Optional<InetSocketAddress> forwardedFor, Optional<String> baggage) {
        this(destination, authority, expectedIdentities, sourceIdentity, forwardedFor, baggage, Optional.empty());
    }

    /** Returns a request without {@code forwarded} and {@code baggage}, targeting {@code target}. */
    public static HboneRequest of(InetSocketAddress destination, InetSocketAddress target, Set<String> expectedIdentities,
                                  String sourceIdentity) {
        return new HboneRequest(destination, Authority.format(target), expectedIdentities, sourceIdentity,
                Optional.empty(), Optional.empty());
    }

    /** Returns a copy sending {@code forwarded: for="<client>"}. */
    public HboneRequest withForwardedFor(InetSocketAddress client) {
        return new HboneRequest(destination, authority, expectedIdentities, sourceIdentity,
                Optional.of(client), baggage, sourceAddress);
    }

    /** Returns a copy sending {@code baggage: <value>}. */
    public HboneRequest withBaggage(String value) {
        return new HboneRequest(destination, authority, expectedIdentities, sourceIdentity, forwardedFor,
                Optional.of(value), sourceAddress);
    }

    /** Returns a copy whose TCP connection is bound to {@code address} (port chosen by the host). */
    public HboneRequest withSourceAddress(InetAddress address) {
        return new HboneRequest(destination, authority, expectedIdentities, sourceIdentity, forwardedFor, baggage,
                Optional.of(Objects.requireNonNull(address, "address")));
    }

    /** Returns the {@code forwarded} header value, if a client address is known. */
    Optional<String> forwardedHeader() {
        return forwardedFor.map(c -> "for=\"" + Authority.format(c) + "\"");
    }
}
