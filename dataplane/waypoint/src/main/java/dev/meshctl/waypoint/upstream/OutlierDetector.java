package dev.meshctl.waypoint.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Ejects endpoints that keep failing: after {@code threshold} consecutive 5xx or connection failures an endpoint
 * is left out of load balancing for {@code ejection}; a success resets its count. Never ejects every endpoint of a
 * backend: when all would be out, all are used (Envoy's panic mode).
 */
public final class OutlierDetector {

    private record State(int consecutiveFailures, long ejectedUntilNanos) {
    }

    private final int threshold;
    private final Duration ejection;
    private final LongSupplier nanoClock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** Creates a detector; {@code nanoClock} is a monotonic clock such as {@code System::nanoTime}. */
    public OutlierDetector(int threshold, Duration ejection, LongSupplier nanoClock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("ejection threshold must be at least 1, got " + threshold);
        }
        this.threshold = threshold;
        this.ejection = Objects.requireNonNull(ejection, "ejection");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Returns the default: 5 consecutive failures eject for 30 s. */
    public static OutlierDetector defaults() {
        return new OutlierDetector(5, Duration.ofSeconds(30), System::nanoTime);
    }

    /** Records the outcome of a request to {@code endpoint}. */
    public void record(Endpoint endpoint, boolean failed) {
        long now = nanoClock.getAsLong();
        states.compute(endpoint.uid() + "@" + endpoint.authority(), (k, s) -> {
            if (!failed) {
                return null;
            }
            int count = (s == null ? 0 : s.consecutiveFailures()) + 1;
            long until = s == null ? 0 : s.ejectedUntilNanos();
            if (count >= threshold) {
                return new State(0, now + ejection.toNanos());
            }
            return new State(count, until);
        });
    }

    /** Returns whether {@code endpoint} is ejected now. */
    public boolean isEjected(Endpoint endpoint) {
        State s = states.get(endpoint.uid() + "@" + endpoint.authority());
        return s != null && s.ejectedUntilNanos() - nanoClock.getAsLong() > 0;
    }

    /** Returns the endpoints not ejected, or all of them when every one is ejected. */
    public List<Endpoint> available(List<Endpoint> endpoints) {
        List<Endpoint> in = endpoints.stream().filter(e -> !isEjected(e)).toList();
        return in.isEmpty() ? endpoints : in;
    }
}
