package dev.meshctl.nodeagent.telemetry;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Records one connection: counts it as opened when created and, exactly once when it closes, writes the closed
 * metrics and one access-log line. Whatever ends the connection (peer, policy, shutdown) calls {@link #close()};
 * later calls do nothing, so no path can log a connection twice.
 */
public final class ConnectionRecord {

    private final TrafficMetrics metrics;
    private final AccessLog accessLog;
    private final Clock clock;
    private final ConnectionAttributes attributes;
    private final Instant since;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile LongSupplier sent = () -> 0;
    private volatile LongSupplier received = () -> 0;
    private volatile String responseFlags = TrafficMetrics.NO_FLAGS;
    private volatile String error = "";

    private ConnectionRecord(TrafficMetrics metrics, AccessLog accessLog, Clock clock, ConnectionAttributes attributes) {
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.clock = clock;
        this.attributes = attributes;
        this.since = clock.instant();
    }

    /** Counts a new connection described by {@code attributes} and returns its record. */
    public static ConnectionRecord open(TrafficMetrics metrics, AccessLog accessLog, Clock clock,
                                        ConnectionAttributes attributes) {
        ConnectionRecord record = new ConnectionRecord(Objects.requireNonNull(metrics, "metrics"),
                Objects.requireNonNull(accessLog, "accessLog"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(attributes, "attributes"));
        metrics.opened(attributes);
        return record;
    }

    /** Reads the byte counts from {@code sent} (to the client) and {@code received} (from the client) from now on. */
    public void countBytes(LongSupplier sent, LongSupplier received) {
        this.sent = Objects.requireNonNull(sent, "sent");
        this.received = Objects.requireNonNull(received, "received");
    }

    /**
     * Marks the connection as failed with {@code flag} (e.g. {@code DENY}, {@code UF}) and a reason for the log;
     * the first failure is kept, as it is the cause of the later ones.
     */
    public synchronized void fail(String flag, String reason) {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(reason, "reason");
        if (TrafficMetrics.NO_FLAGS.equals(responseFlags)) {
            responseFlags = flag;
            error = reason;
        }
    }

    /** Writes the closed metrics and the access-log line, the first time only; returns whether this call did. */
    public boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        long s = sent.getAsLong();
        long r = received.getAsLong();
        metrics.closed(attributes, responseFlags, s, r);
        accessLog.write(line(s, r, Duration.between(since, clock.instant())));
        return true;
    }

    /** Returns whether {@link #close()} ran. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Returns what the connection is. */
    public ConnectionAttributes attributes() {
        return attributes;
    }

    /** Returns when the connection opened. */
    public Instant since() {
        return since;
    }

    /** Returns the bytes sent to the client so far. */
    public long bytesSent() {
        return sent.getAsLong();
    }

    /** Returns the bytes received from the client so far. */
    public long bytesReceived() {
        return received.getAsLong();
    }

    /** Returns the response flags so far ({@code -} while nothing failed). */
    public String responseFlags() {
        return responseFlags;
    }

    private String line(long s, long r, Duration duration) {
        ConnectionAttributes a = attributes;
        StringBuilder b = new StringBuilder();
        field(b, "src.addr", formatAddress(a.sourceAddress()));
        field(b, "src.workload", a.source().workload());
        field(b, "src.namespace", a.source().namespace());
        field(b, "src.identity", a.source().identity());
        field(b, "dst.addr", formatAddress(a.destinationAddress()));
        field(b, "dst.service", a.destinationService().hostname());
        field(b, "dst.workload", a.destination().workload());
        field(b, "dst.namespace", a.destination().namespace());
        field(b, "dst.identity", a.destination().identity());
        field(b, "direction", a.direction().logName());
        field(b, "bytes_sent", Long.toString(s));
        field(b, "bytes_recv", Long.toString(r));
        field(b, "duration", duration.toMillis() + "ms");
        if (!error.isEmpty()) {
            field(b, "error", error);
        }
        return b.toString();
    }

    private static void field(StringBuilder b, String key, String value) {
        if (b.length() > 0) {
            b.append(' ');
        }
        b.append(key).append('=');
        if (value.isEmpty() || value.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=')) {
            b.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else {
            b.append(value);
        }
    }

    /** Formats {@code address} as {@code ip:port}, bracketing IPv6. */
    public static String formatAddress(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
