package dev.meshctl.waypoint.upstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the requests each endpoint is serving now, for least-request balancing. */
public final class EndpointLoad {

    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /** Returns the requests in flight to {@code endpoint}. */
    public int inFlight(Endpoint endpoint) {
        AtomicInteger n = inFlight.get(endpoint.authority());
        return n == null ? 0 : n.get();
    }

    void started(Endpoint endpoint) {
        inFlight.computeIfAbsent(endpoint.authority(), k -> new AtomicInteger()).incrementAndGet();
    }

    void finished(Endpoint endpoint) {
        inFlight.computeIfPresent(endpoint.authority(), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
