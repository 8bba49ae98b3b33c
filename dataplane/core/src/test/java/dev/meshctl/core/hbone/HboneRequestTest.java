package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HboneRequestTest {

    private static final InetSocketAddress DEST = new InetSocketAddress("10.0.0.7", 15008);
    private static final String SERVER = "spiffe://cluster.local/ns/shop/sa/reviews";
    private static final String CLIENT = "spiffe://cluster.local/ns/shop/sa/productpage";

    @Test
    void buildsTheForwardedHeaderFromTheClientAddress() {
        HboneRequest r = HboneRequest.of(DEST, new InetSocketAddress("10.0.0.7", 9080), Set.of(SERVER), CLIENT)
                .withForwardedFor(new InetSocketAddress("10.0.1.5", 40000))
                .withBaggage("k8s.namespace.name=shop");
        assertThat(r.authority()).isEqualTo("10.0.0.7:9080");
        assertThat(r.forwardedHeader()).hasValue("for=\"10.0.1.5:40000\"");
        assertThat(r.baggage()).hasValue("k8s.namespace.name=shop");
    }

    @Test
    void refusesAnEmptyExpectedIdentitySet() {
        assertThatThrownBy(() -> HboneRequest.of(DEST, new InetSocketAddress("10.0.0.7", 9080), Set.of(), CLIENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no expected server identity");
    }

    @Test
    void refusesAMalformedAuthority() {
        assertThatThrownBy(() -> new HboneRequest(DEST, "reviews", Set.of(SERVER), CLIENT, Optional.empty(),
                Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port");
    }

    @Test
    void poolKeySeparatesSourceIdentities() {
        HboneRequest a = HboneRequest.of(DEST, new InetSocketAddress("10.0.0.7", 9080), Set.of(SERVER), CLIENT);
        HboneRequest b = HboneRequest.of(DEST, new InetSocketAddress("10.0.0.7", 9080), Set.of(SERVER), SERVER);
        HboneRequest c = HboneRequest.of(DEST, new InetSocketAddress("10.0.0.7", 9091), Set.of(SERVER), CLIENT);
        assertThat(HbonePool.Key.of(a)).isNotEqualTo(HbonePool.Key.of(b));
        // The target port is per stream, not per connection.
        assertThat(HbonePool.Key.of(a)).isEqualTo(HbonePool.Key.of(c));
    }
}
