package dev.meshctl.waypoint.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TunnelCacheTest {

    private final Set<String> closed = new HashSet<>();
    private final TunnelCache<String> cache = new TunnelCache<>(2, t -> !closed.contains(t));

    private static TunnelCache.Key key(String client) throws Exception {
        return new TunnelCache.Key(new InetSocketAddress("10.244.1.5", 15008), "10.244.1.5:9080",
                "spiffe://cluster.local/ns/default/sa/reviews", InetAddress.getByName(client));
    }

    @Test
    void handsAnIdleTunnelToOneRequestAtATimeWarmestFirst() throws Exception {
        TunnelCache.Key k = key("10.244.2.7");
        assertThat(cache.takeIdle(k)).isEmpty();
        assertThat(cache.offerIdle(k, "a")).isTrue();
        assertThat(cache.offerIdle(k, "b")).isTrue();
        assertThat(cache.takeIdle(k)).contains("b");
        assertThat(cache.takeIdle(k)).contains("a");
        assertThat(cache.takeIdle(k)).isEmpty();
    }

    @Test
    void neverSharesTunnelsBetweenClientsOrEndpoints() throws Exception {
        cache.offerIdle(key("10.244.2.7"), "a");
        assertThat(cache.takeIdle(key("10.244.2.8"))).isEmpty();
        TunnelCache.Key other = new TunnelCache.Key(new InetSocketAddress("10.244.1.6", 15008), "10.244.1.6:9080",
                "spiffe://cluster.local/ns/default/sa/reviews", InetAddress.getByName("10.244.2.7"));
        assertThat(cache.takeIdle(other)).isEmpty();
        assertThat(cache.takeIdle(key("10.244.2.7"))).contains("a");
    }

    @Test
    void refusesMoreIdleTunnelsThanTheLimitAndClosedOnes() throws Exception {
        TunnelCache.Key k = key("10.244.2.7");
        assertThat(cache.offerIdle(k, "a")).isTrue();
        assertThat(cache.offerIdle(k, "b")).isTrue();
        assertThat(cache.offerIdle(k, "c")).as("over the limit: the caller closes it").isFalse();
        closed.add("d");
        assertThat(cache.offerIdle(k, "d")).isFalse();
        assertThat(cache.idleCount(k)).isEqualTo(2);
    }

    @Test
    void skipsTunnelsThatClosedWhileIdleAndForgetsRemovedOnes() throws Exception {
        TunnelCache.Key k = key("10.244.2.7");
        cache.offerIdle(k, "a");
        cache.offerIdle(k, "b");
        closed.add("b");
        assertThat(cache.takeIdle(k)).contains("a");
        cache.offerIdle(k, "c");
        cache.remove(k, "c");
        assertThat(cache.takeIdle(k)).isEmpty();
    }

    @Test
    void keepsOneSharedTunnelPerKeyAndReplacesItOnceClosed() throws Exception {
        TunnelCache.Key k = key("10.244.2.7");
        assertThat(cache.shared(k)).isEmpty();
        assertThat(cache.share(k, "h2-a")).isEqualTo("h2-a");
        assertThat(cache.share(k, "h2-b")).as("the first one stays while usable").isEqualTo("h2-a");
        closed.add("h2-a");
        assertThat(cache.shared(k)).isEmpty();
        assertThat(cache.share(k, "h2-b")).isEqualTo("h2-b");
        assertThat(cache.drain()).containsExactly("h2-b");
        assertThat(cache.shared(k)).isEmpty();
    }

    @Test
    void rejectsANegativeLimit() {
        assertThatThrownBy(() -> new TunnelCache<String>(-1, t -> true)).isInstanceOf(IllegalArgumentException.class);
    }
}
