package dev.meshctl.core.hbone;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Shares HBONE connections between streams with the same (source identity, destination identities, destination
 * address, local bind address), never across source identities or source IPs; fills each connection up to its
 * stream limit before opening another. Connections close themselves after the client's idle timeout without streams.
 *
 * <pre>{@code
 * HbonePool pool = new HbonePool(HboneClient.builder().certificates(source).build());
 * pool.open(HboneRequest.of(podIp15008, podIpPort, Set.of(serverId), clientId))
 *     .thenAccept(stream -> stream.splice(appChannel));
 * }</pre>
 */
public final class HbonePool implements AutoCloseable {

    /** Identifies the connections a request may share. */
    public record Key(String sourceIdentity, Set<String> destinationIdentities, InetSocketAddress destination,
                      Optional<InetAddress> sourceAddress) {
        /** Checks that every part is present. */
        public Key {
            Objects.requireNonNull(sourceIdentity, "sourceIdentity");
            destinationIdentities = Set.copyOf(destinationIdentities);
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(sourceAddress, "sourceAddress");
        }

        /** Creates a key for connections bound wherever the host chooses. */
        public Key(String sourceIdentity, Set<String> destinationIdentities, InetSocketAddress destination) {
            this(sourceIdentity, destinationIdentities, destination, Optional.empty());
        }

        /** Returns the key of {@code request}. */
        public static Key of(HboneRequest request) {
            return new Key(request.sourceIdentity(), request.expectedIdentities(), request.destination(),
                    request.sourceAddress());
        }
    }

    private final HboneClient client;
    private final Map<Key, List<HboneConnection>> connections = new HashMap<>();
    private boolean closed;

    /** Creates a pool over {@code client}; closing the pool closes its connections, not the client. */
    public HbonePool(HboneClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Opens a stream for {@code request}; completes after the server's 200, fails with {@link HboneException}. */
    public CompletableFuture<HboneStream> open(HboneRequest request) {
        Objects.requireNonNull(request, "request");
        Key key = Key.of(request);
        HboneConnection chosen;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new HboneException(HboneException.NO_STATUS,
                        "HBONE pool is closed"));
            }
            List<HboneConnection> list = connections.computeIfAbsent(key, k -> new ArrayList<>());
            chosen = list.stream().filter(HboneConnection::tryReserve).findFirst().orElse(null);
            if (chosen == null) {
                chosen = client.connect(key.destination(), key.sourceAddress(), key.sourceIdentity(),
                        key.destinationIdentities());
                if (!chosen.tryReserve()) {
                    return chosen.openStream(request); // failed before any reservation: reports why
                }
                list.add(chosen);
                HboneConnection added = chosen;
                chosen.closed().thenRun(() -> remove(key, added));
            }
        }
        return chosen.openReserved(request);
    }

    /** Returns the number of connections currently pooled for {@code key}. */
    public synchronized int connectionCount(Key key) {
        List<HboneConnection> list = connections.get(key);
        return list == null ? 0 : list.size();
    }

    /** Returns the streams open or being opened on the connections for {@code key}. */
    public synchronized int activeStreams(Key key) {
        List<HboneConnection> list = connections.get(key);
        return list == null ? 0 : list.stream().mapToInt(HboneConnection::activeStreams).sum();
    }

    /** Returns the number of pooled connections. */
    public synchronized int connectionCount() {
        return connections.values().stream().mapToInt(List::size).sum();
    }

    /** Closes every pooled connection; later opens fail. */
    @Override
    public void close() {
        List<HboneConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            connections.values().forEach(all::addAll);
            connections.clear();
        }
        all.forEach(HboneConnection::close);
    }

    private synchronized void remove(Key key, HboneConnection connection) {
        List<HboneConnection> list = connections.get(key);
        if (list != null && list.remove(connection) && list.isEmpty()) {
            connections.remove(key);
        }
    }
}
