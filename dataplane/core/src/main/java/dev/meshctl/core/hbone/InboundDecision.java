package dev.meshctl.core.hbone;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Says what the HBONE server does with a CONNECT: refuse it with a status, connect it upstream, or serve it in
 * process (a waypoint terminating the tunnel).
 */
public sealed interface InboundDecision {

    /** Refuses with {@code status} (400 wrong target, 401 denied by policy). */
    static InboundDecision reject(int status, String reason) {
        return new Reject(status, reason);
    }

    /** Connects to {@code upstream} from the proxy's own address. */
    static InboundDecision connect(InetSocketAddress upstream) {
        return new Connect(upstream, Optional.empty());
    }

    /** Answers 200 and hands the stream to {@code service} (no upstream connection is made). */
    static InboundDecision serve(StreamService service) {
        return new Serve(service);
    }

    /** Refusal with an HTTP status and a reason for logs (never sent to the peer). */
    record Reject(int status, String reason) implements InboundDecision {
        /** Checks the status is an error. */
        public Reject {
            Objects.requireNonNull(reason, "reason");
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("reject status must be 4xx or 5xx, got " + status);
            }
        }
    }

    /**
     * Connection to {@code upstream}, optionally from {@code spoofSource} (the original client IP; needs epoll and
     * {@code IP_TRANSPARENT}).
     */
    record Connect(InetSocketAddress upstream, Optional<InetAddress> spoofSource) implements InboundDecision {
        /** Checks that every part is present. */
        public Connect {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(spoofSource, "spoofSource");
        }
    }

    /** Acceptance of the tunnel by an in-process {@link StreamService}. */
    record Serve(StreamService service) implements InboundDecision {
        /** Checks that the service is present. */
        public Serve {
            Objects.requireNonNull(service, "service");
        }
    }
}
