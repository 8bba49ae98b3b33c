package dev.meshctl.nodeagent.proxy;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.rbac.Decision;
import dev.meshctl.nodeagent.inbound.InboundPolicy;
import dev.meshctl.nodeagent.state.MeshState;
import dev.meshctl.nodeagent.telemetry.ConnectionAttributes;
import dev.meshctl.nodeagent.telemetry.ConnectionRecord;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the open connections: for the admin view, for draining, and, for those this agent authorized, what RBAC
 * needs to decide them again when policy changes, so a now-denied connection is reset.
 */
public final class ConnectionTracker {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTracker.class);

    /**
     * What authorization saw of an inbound connection.
     *
     * @param peerIdentity the client's verified SPIFFE id; empty for plaintext
     * @param client the client address used for policy
     * @param destination the pod address and port connected to
     */
    public record Authorized(Optional<String> peerIdentity, InetSocketAddress client, InetSocketAddress destination) {
        /** Checks every part. */
        public Authorized {
            Objects.requireNonNull(peerIdentity, "peerIdentity");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** Ends a tracked connection: resets it now. */
    @FunctionalInterface
    public interface Reset {
        void reset();
    }

    private record Entry(ConnectionRecord record, Optional<Authorized> authorized, Reset reset) {
    }

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Entry> open = new ConcurrentHashMap<>();

    /**
     * Tracks a connection until its record closes; {@code authorized} is present for connections whose policy
     * this agent enforces. Returns a handle whose {@link Handle#finish()} closes the record and forgets it.
     */
    public Handle track(ConnectionRecord record, Optional<Authorized> authorized, Reset reset) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(authorized, "authorized");
        Objects.requireNonNull(reset, "reset");
        long id = ids.incrementAndGet();
        open.put(id, new Entry(record, authorized, reset));
        return new Handle(id, record);
    }

    /** Returns the open connections, oldest first. */
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> out = new ArrayList<>();
        for (Entry e : open.values()) {
            ConnectionAttributes a = e.record().attributes();
            out.add(new ConnectionInfo(ConnectionRecord.formatAddress(a.sourceAddress()),
                    ConnectionRecord.formatAddress(a.destinationAddress()), a.source().identity(),
                    a.destination().identity(), a.direction().logName(), e.record().bytesSent(),
                    e.record().bytesReceived(), e.record().since()));
        }
        out.sort(Comparator.comparing(ConnectionInfo::since));
        return out;
    }

    /** Returns how many connections are open. */
    public int size() {
        return open.size();
    }

    /**
     * Decides every authorized connection again under {@code state} and resets the ones now denied; returns how many
     * were reset. A connection whose destination left the state is left alone: only policy closes connections.
     */
    public int reauthorize(MeshState state) {
        Objects.requireNonNull(state, "state");
        int reset = 0;
        for (Entry e : open.values()) {
            if (e.authorized().isEmpty()) {
                continue;
            }
            Authorized a = e.authorized().get();
            Optional<Workload> destination = state.workloadByIp(a.destination().getAddress());
            if (destination.isEmpty()) {
                continue;
            }
            Decision decision = InboundPolicy.authorize(state, a.peerIdentity(), a.client(), a.destination(),
                    destination.get());
            if (!decision.allowed()) {
                log.info("closing connection {} -> {} after a policy change: {}", a.client(), a.destination(),
                        decision.reason());
                e.record().fail("DENY", decision.reason());
                e.reset().reset();
                reset++;
            }
        }
        return reset;
    }

    /** Resets every open connection (end of drain). */
    public void resetAll() {
        open.values().forEach(e -> e.reset().reset());
    }

    /** One tracked connection. */
    public final class Handle {
        private final long id;
        private final ConnectionRecord record;

        private Handle(long id, ConnectionRecord record) {
            this.id = id;
            this.record = record;
        }

        /** Forgets the connection and closes its record (metrics and the access-log line, once). */
        public void finish() {
            open.remove(id);
            record.close();
        }
    }
}
