package dev.meshctl.waypoint.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.core.hbone.HboneRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CONNECT a waypoint sends upstream names the original client and, when configured, the waypoint itself. */
class UpstreamClientTest {

    private static final String WAYPOINT = "spiffe://cluster.local/ns/default/sa/waypoint";

    private static final Endpoint REVIEWS = new Endpoint("uid", "reviews-v1-x", "default", "reviews-v1",
            InetAddress.getLoopbackAddress(), 9080, "spiffe://cluster.local/ns/default/sa/reviews", "http");

    @Test
    void connectCarriesTheClientAndTheWaypointsBaggage() {
        InetSocketAddress client = new InetSocketAddress("10.244.1.5", 40000);
        HboneRequest r = UpstreamClient.connectRequest(new InetSocketAddress("10.244.2.7", 15008), REVIEWS, client,
                WAYPOINT, Optional.of("k8s.namespace.name=default,k8s.deployment.name=waypoint"));

        assertThat(r.authority()).isEqualTo(REVIEWS.authority());
        assertThat(r.expectedIdentities()).isEqualTo(Set.of(REVIEWS.identity()));
        assertThat(r.sourceIdentity()).isEqualTo(WAYPOINT);
        assertThat(r.forwardedFor()).hasValue(client);
        assertThat(r.baggage()).hasValue("k8s.namespace.name=default,k8s.deployment.name=waypoint");
        assertThat(UpstreamClient.connectRequest(new InetSocketAddress("10.244.2.7", 15008), REVIEWS, client,
                WAYPOINT, Optional.empty()).baggage()).isEmpty();
    }
}
