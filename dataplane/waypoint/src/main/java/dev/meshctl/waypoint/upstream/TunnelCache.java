package dev.meshctl.waypoint.upstream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Keeps upstream tunnels for reuse, per {@link Key}: idle ones (HTTP/1.1, one request at a time) handed to one
 * request each, and shared ones (HTTP/2, many requests at once) handed to every request. Without reuse every
 * request would cost a CONNECT, a TCP connection at the destination and a stream reset; a destination's HTTP/2
 * rapid-reset guard then drops the whole connection under load.
 *
 * <p>The key holds the original client's IP because the CONNECT carries it ({@code forwarded: for=}) and the
 * destination trusts it for the whole tunnel: requests of different clients never share a tunnel.
 *
 * @param <T> the tunnel type
 */
public final class TunnelCache<T> {

    /** What tunnels may be shared by: the endpoint's HBONE address, authority and identity, and the client's IP. */
    public record Key(InetSocketAddress hbone, String authority, String identity, InetAddress client) {
        /** Checks that every part is present. */
        public Key {
            Objects.requireNonNull(hbone, "hbone");
            Objects.requireNonNull(authority, "authority");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(client, "client");
        }
    }

    private final int maxIdlePerKey;
    private final Predicate<T> usable;
    private final Map<Key, ArrayDeque<T>> idle = new HashMap<>();
    private final Map<Key, T> shared = new HashMap<>();

    /** Creates a cache keeping at most {@code maxIdlePerKey} idle tunnels per key; {@code usable} says a tunnel is open. */
    public TunnelCache(int maxIdlePerKey, Predicate<T> usable) {
        if (maxIdlePerKey < 0) {
            throw new IllegalArgumentException("maxIdlePerKey must not be negative: " + maxIdlePerKey);
        }
        this.maxIdlePerKey = maxIdlePerKey;
        this.usable = Objects.requireNonNull(usable, "usable");
    }

    /** Takes the most recently returned usable idle tunnel for {@code key}, dropping unusable ones on the way. */
    public synchronized Optional<T> takeIdle(Key key) {
        ArrayDeque<T> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            T t = q.pollLast(); // the warmest one: the least likely to have been closed by an idle timeout
            if (q.isEmpty()) {
                idle.remove(key);
            }
            if (usable.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Returns {@code tunnel} to the idle set; false (the caller closes it) when the set is full or it is unusable. */
    public synchronized boolean offerIdle(Key key, T tunnel) {
        if (!usable.test(tunnel)) {
            return false;
        }
        ArrayDeque<T> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (q.size() >= maxIdlePerKey) {
            if (q.isEmpty()) {
                idle.remove(key);
            }
            return false;
        }
        q.addLast(tunnel);
        return true;
    }

    /** Forgets {@code tunnel} (it closed). */
    public synchronized void remove(Key key, T tunnel) {
        ArrayDeque<T> q = idle.get(key);
        if (q != null && q.remove(tunnel) && q.isEmpty()) {
            idle.remove(key);
        }
        shared.remove(key, tunnel);
    }

    /** Returns the usable shared tunnel for {@code key}, if any. */
    public synchronized Optional<T> shared(Key key) {
        T t = shared.get(key);
        if (t != null && !usable.test(t)) {
            shared.remove(key);
            return Optional.empty();
        }
        return Optional.ofNullable(t);
    }

    /** Makes {@code tunnel} the shared one for {@code key} unless a usable one is there; returns the one to use. */
    public synchronized T share(Key key, T tunnel) {
        T current = shared.get(key);
        if (current != null && usable.test(current)) {
            return current;
        }
        shared.put(key, tunnel);
        return tunnel;
    }

    /** Returns the number of idle tunnels for {@code key}. */
    public synchronized int idleCount(Key key) {
        ArrayDeque<T> q = idle.get(key);
        return q == null ? 0 : q.size();
    }

    /** Removes and returns every tunnel (to close them). */
    public synchronized List<T> drain() {
        List<T> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        all.addAll(shared.values());
        idle.clear();
        shared.clear();
        return all;
    }
}
