package dev.meshctl.nodeagent.proxy;

import java.time.Instant;
import java.util.Objects;

/**
 * One open connection as the admin {@code /connections} view shows it.
 *
 * @param source the client address {@code ip:port}
 * @param destination the address the client asked for
 * @param sourceIdentity the client's SPIFFE identity or {@code unknown}
 * @param destinationIdentity the server's SPIFFE identity or {@code unknown}
 * @param direction {@code outbound} or {@code inbound}
 * @param bytesSent bytes sent to the client so far
 * @param bytesReceived bytes received from the client so far
 * @param since when the connection opened
 */
public record ConnectionInfo(String source, String destination, String sourceIdentity, String destinationIdentity,
                             String direction, long bytesSent, long bytesReceived, Instant since) {

    /** Checks every part. */
    public ConnectionInfo {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(sourceIdentity, "sourceIdentity");
        Objects.requireNonNull(destinationIdentity, "destinationIdentity");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(since, "since");
    }
}
