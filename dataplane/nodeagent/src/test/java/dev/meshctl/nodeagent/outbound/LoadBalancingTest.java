package dev.meshctl.nodeagent.outbound;

import static dev.meshctl.nodeagent.outbound.Mesh.CLIENT;
import static dev.meshctl.nodeagent.outbound.Mesh.LOCAL;
import static dev.meshctl.nodeagent.outbound.Mesh.STATE;
import static dev.meshctl.nodeagent.outbound.OutboundRouterTest.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.meshctl.api.mesh.LoadBalancing;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.nodeagent.state.Endpoint;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LoadBalancingTest {

    private static final Service SERVER = STATE.serviceByVip("10.96.0.10").orElseThrow();

    @Test
    void roundRobinTakesEndpointsInTurn() {
        OutboundRouter router = new OutboundRouter(LoadBalancer.roundRobin(), List.of());
        List<String> hops = Stream.generate(() -> nextHop(router)).limit(4).toList();
        assertThat(hops).containsExactly("10.0.2.5:8080", "10.0.2.6:8080", "10.0.2.5:8080", "10.0.2.6:8080");
    }

    @Test
    void roundRobinCountsPerService() {
        LoadBalancer lb = LoadBalancer.roundRobin();
        List<Endpoint> endpoints = STATE.endpoints(SERVER);
        Service other = SERVER.toBuilder().setHostname("other.default.svc.cluster.local").build();
        assertThat(lb.choose(SERVER, endpoints)).isEqualTo(endpoints.get(0));
        assertThat(lb.choose(other, endpoints)).isEqualTo(endpoints.get(0));
        assertThat(lb.choose(SERVER, endpoints)).isEqualTo(endpoints.get(1));
    }

    @Test
    void randomWithASeedIsRepeatableAndReachesEveryEndpoint() {
        List<Endpoint> endpoints = STATE.endpoints(SERVER);
        LoadBalancer a = LoadBalancer.random(new SplittableRandom(7));
        LoadBalancer b = LoadBalancer.random(new SplittableRandom(7));
        Set<Endpoint> seen = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            Endpoint picked = a.choose(SERVER, endpoints);
            assertThat(b.choose(SERVER, endpoints)).isEqualTo(picked);
            seen.add(picked);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(endpoints);
    }

    @Test
    void perServiceFollowsTheServiceMode() {
        List<Endpoint> endpoints = STATE.endpoints(SERVER);
        LoadBalancer lb = LoadBalancer.perService(new SplittableRandom(1));
        assertThat(lb.choose(SERVER, endpoints)).isEqualTo(endpoints.get(0));
        assertThat(lb.choose(SERVER, endpoints)).isEqualTo(endpoints.get(1));
        Service random = SERVER.toBuilder().setLoadBalancing(LoadBalancing.newBuilder()
                .setMode(LoadBalancing.Mode.RANDOM)).build();
        Set<Endpoint> seen = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            seen.add(lb.choose(random, endpoints));
        }
        assertThat(seen).hasSize(2);
    }

    @Test
    void hboneRouteNeedsAnIdentity() {
        assertThatIllegalArgumentException().isThrownBy(() -> new OutboundRoute.Hbone(address("10.0.2.5:15008"),
                "10.0.2.5:80", List.of(), CLIENT, Optional.empty(), Optional.empty(), false))
                .withMessageStartingWith("BUG:");
    }

    @Test
    void refusesNullArguments() {
        OutboundRouter router = new OutboundRouter(LoadBalancer.roundRobin(), List.of());
        assertThatNullPointerException()
                .isThrownBy(() -> router.decide(address("10.0.1.1:1"), address("10.0.2.5:80"), null, LOCAL))
                .withMessage("state");
        assertThatNullPointerException().isThrownBy(() -> new OutboundRouter(null, List.of()))
                .withMessage("loadBalancer");
    }

    private static String nextHop(OutboundRouter router) {
        OutboundRoute route = router.decide(address("10.0.1.1:40000"), address("10.96.0.10:80"), STATE, LOCAL);
        return ((OutboundRoute.Hbone) route).authority();
    }
}
