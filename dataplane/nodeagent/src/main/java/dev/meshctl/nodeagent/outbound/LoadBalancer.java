package dev.meshctl.nodeagent.outbound;

import dev.meshctl.api.mesh.LoadBalancing;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.nodeagent.state.Endpoint;
import dev.meshctl.nodeagent.state.MeshState;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/** Picks one endpoint of a service for a new connection. Implementations are thread-safe. */
@FunctionalInterface
public interface LoadBalancer {

    /** Returns one of {@code candidates}, which is never empty. */
    Endpoint choose(Service service, List<Endpoint> candidates);

    /** Returns a balancer that takes each service's endpoints in turn. */
    static LoadBalancer roundRobin() {
        Map<String, AtomicInteger> next = new ConcurrentHashMap<>();
        return (service, candidates) -> {
            int i = next.computeIfAbsent(MeshState.keyOf(service), k -> new AtomicInteger()).getAndIncrement();
            return candidates.get(Math.floorMod(i, candidates.size()));
        };
    }

    /** Returns a balancer that picks uniformly with {@code random}. */
    static LoadBalancer random(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return (service, candidates) -> candidates.get(random.nextInt(candidates.size()));
    }

    /**
     * Returns a balancer that follows each service's {@code load_balancing} mode: RANDOM picks with {@code random},
     * anything else goes round robin (a node agent does not count requests, so LEAST_REQUEST is round robin here).
     */
    static LoadBalancer perService(RandomGenerator random) {
        LoadBalancer roundRobin = roundRobin();
        LoadBalancer randomly = random(random);
        return (service, candidates) -> service.getLoadBalancing().getMode() == LoadBalancing.Mode.RANDOM
                ? randomly.choose(service, candidates)
                : roundRobin.choose(service, candidates);
    }
}
