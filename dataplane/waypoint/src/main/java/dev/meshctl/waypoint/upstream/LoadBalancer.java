package dev.meshctl.waypoint.upstream;

import dev.meshctl.api.mesh.LoadBalancing;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntFunction;

/**
 * Chooses the endpoint for one request: round robin (per backend), least request (the less loaded of two random
 * picks, as Envoy does), or random.
 */
public final class LoadBalancer {

    private final IntUnaryOperator random;
    private final ToIntFunction<Endpoint> inFlight;
    private final ConcurrentHashMap<String, AtomicInteger> cursors = new ConcurrentHashMap<>();

    /**
     * Creates a balancer; {@code random} maps a bound {@code n} to {@code [0, n)}, {@code inFlight} says how many
     * requests an endpoint is serving now.
     */
    public LoadBalancer(IntUnaryOperator random, ToIntFunction<Endpoint> inFlight) {
        this.random = Objects.requireNonNull(random, "random");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
    }

    /** Returns an endpoint of {@code endpoints} for backend {@code key}, or empty when there is none. */
    public Optional<Endpoint> choose(String key, LoadBalancing.Mode mode, List<Endpoint> endpoints) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        if (endpoints.size() == 1) {
            return Optional.of(endpoints.get(0));
        }
        return Optional.of(switch (mode) {
            case LEAST_REQUEST -> leastRequest(endpoints);
            case RANDOM -> endpoints.get(random.applyAsInt(endpoints.size()));
            case ROUND_ROBIN, UNRECOGNIZED -> endpoints.get(Math.floorMod(
                    cursors.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement(), endpoints.size()));
        });
    }

    private Endpoint leastRequest(List<Endpoint> endpoints) {
        Endpoint a = endpoints.get(random.applyAsInt(endpoints.size()));
        Endpoint b = endpoints.get(random.applyAsInt(endpoints.size()));
        return inFlight.applyAsInt(b) < inFlight.applyAsInt(a) ? b : a;
    }
}
