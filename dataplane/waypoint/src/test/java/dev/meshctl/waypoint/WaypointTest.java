package dev.meshctl.waypoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Action;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Backend;
import dev.meshctl.api.mesh.Clause;
import dev.meshctl.api.mesh.Match;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.RouteRule;
import dev.meshctl.api.mesh.Rules;
import dev.meshctl.api.mesh.Scope;
import dev.meshctl.api.mesh.StringMatch;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end in process: client tunnel -> waypoint -> HBONE with the waypoint's identity -> fake node agents. */
class WaypointTest {

    static final String REVIEWS = "10.96.0.10:9080";

    WaypointFixture f;
    WaypointFixture.Echo v1;
    WaypointFixture.Echo v2;

    @BeforeEach
    void setUp() throws Exception {
        f = new WaypointFixture();
        v1 = f.endpoint("reviews-v1", "127.0.1.1", "reviews", 0);
        v2 = f.endpoint("reviews-v2", "127.0.1.2", "reviews", 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private Mesh mesh() {
        return new Mesh().service("reviews", "10.96.0.10", 9080, "http")
                .service("reviews-v1", "10.96.0.11", 9080, "http")
                .service("reviews-v2", "10.96.0.12", 9080, "http")
                .workload("reviews-v1", "127.0.1.1", 9080, "reviews", "reviews", "reviews-v1")
                .workload("reviews-v2", "127.0.1.2", 9080, "reviews", "reviews", "reviews-v2");
    }

    @Test
    void servesAServiceWithoutRoutesAndTheDestinationSeesTheWaypointIdentity() throws Exception {
        f.config.set(mesh().build());
        String body = f.get(REVIEWS, "/reviews/1");
        assertThat(body).startsWith("200\n").contains("path=/reviews/1");
        assertThat(f.agentRequests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.peerIdentity()).isEqualTo(Mesh.WAYPOINT);
            assertThat(r.target().getHostString()).startsWith("127.0.1.");
            assertThat(r.target().getPort()).isEqualTo(9080);
            assertThat(r.header("forwarded")).hasValueSatisfying(v -> assertThat(v).startsWith("for=\"127.0.0.1:"));
        });
    }

    @Test
    void reusesUpstreamTunnelsAcrossRequestsInsteadOfOneConnectEach() throws Exception {
        f.config.set(new Mesh().service("reviews-v1", "10.96.0.11", 9080, "http")
                .workload("reviews-v1", "127.0.1.1", 9080, "reviews", "reviews-v1").build());
        for (int i = 0; i < 300; i++) {
            assertThat(f.get("10.96.0.11:9080", "/reviews/" + i)).startsWith("200\n");
        }
        // Sequential requests from one client share one keep-alive tunnel: no CONNECT (and no reset) per request,
        // which a destination's rapid-reset guard would punish by dropping the whole connection.
        assertThat(f.agentRequests).hasSize(1);
        assertThat(v1.hits()).hasValue(300);
        // Each client tunnel ended with END_STREAM after its answer; the waypoint ends its side too, so none stays.
        var key = new dev.meshctl.core.hbone.HbonePool.Key(WaypointFixture.CLIENT, java.util.Set.of(Mesh.WAYPOINT),
                f.active().hboneAddress());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (f.pool.activeStreams(key) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // bounded poll for the streams to close
        }
        assertThat(f.pool.activeStreams(key)).isZero();
    }

    @Test
    void opensANewTunnelWhenTheBackendClosesItsConnection() throws Exception {
        f.config.set(new Mesh().service("reviews-v1", "10.96.0.11", 9080, "http")
                .workload("reviews-v1", "127.0.1.1", 9080, "reviews", "reviews-v1").build());
        for (int i = 0; i < 5; i++) {
            assertThat(f.get("10.96.0.11:9080", "/close/" + i)).startsWith("200\n");
        }
        assertThat(f.agentRequests).hasSize(5);
        assertThat(f.get("10.96.0.11:9080", "/after")).startsWith("200\n");
    }

    @Test
    void refusesTargetsNotBoundToThisWaypoint() throws Exception {
        f.config.set(mesh().build());
        f.active();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.get("10.96.9.9:80", "/"))
                .hasMessageContaining("400");
    }

    @Test
    void splitsTraffic90To10ByWeight() throws Exception {
        Route split = Route.newBuilder().setName("reviews").setNamespace("default").addParents(Mesh.key("reviews"))
                .addRules(RouteRule.newBuilder()
                        .addBackends(Backend.newBuilder().setService(Mesh.key("reviews-v1")).setPort(9080).setWeight(90))
                        .addBackends(Backend.newBuilder().setService(Mesh.key("reviews-v2")).setPort(9080).setWeight(10)))
                .build();
        f.config.set(mesh().add(split).build());
        for (int i = 0; i < 200; i++) {
            f.get(REVIEWS, "/");
        }
        // 10% of 200 = 20; a wide band keeps this deterministic enough.
        assertThat(v2.hits().get()).isBetween(5, 45);
        assertThat(v1.hits().get() + v2.hits().get()).isEqualTo(200);
    }

    @Test
    void deniesWith403AndTheRbacBody() throws Exception {
        Authorization deny = Authorization.newBuilder().setName("no-delete").setNamespace("default")
                .setScope(Scope.WAYPOINT).setAction(Action.DENY)
                .addRules(Rules.newBuilder().addMatches(Clause.newBuilder().addMatches(Match.newBuilder()
                        .addMethods(StringMatch.newBuilder().setExact("DELETE"))
                        .addPrincipals(StringMatch.newBuilder().setExact("cluster.local/ns/default/sa/curl")))))
                .build();
        f.config.set(mesh().add(deny).build());
        FullHttpResponse r = f.send(REVIEWS, HttpMethod.DELETE, "/reviews/1", Map.of());
        try {
            assertThat(r.status().code()).isEqualTo(403);
            assertThat(r.content().toString(StandardCharsets.UTF_8)).isEqualTo("RBAC: access denied");
        } finally {
            r.release();
        }
        assertThat(f.get(REVIEWS, "/reviews/1")).startsWith("200");
        assertThat(v1.hits().get() + v2.hits().get()).isEqualTo(1);
    }

    @Test
    void stripsClientSentIdentityHeaders() throws Exception {
        f.config.set(mesh().build());
        Map<String, String> h = new HashMap<>();
        h.put("x-forwarded-client-cert", "By=spiffe://cluster.local/ns/default/sa/admin");
        h.put("x-keep", "yes");
        FullHttpResponse r = f.send(REVIEWS, HttpMethod.GET, "/", h);
        try {
            String body = r.content().toString(StandardCharsets.UTF_8);
            assertThat(body).contains("h:x-keep=yes").doesNotContain("x-forwarded-client-cert");
        } finally {
            r.release();
        }
    }

    @Test
    void exposesRequestMetricsWithWaypointLabels() throws Exception {
        f.config.set(mesh().build());
        f.get(REVIEWS, "/status/503");
        f.get(REVIEWS, "/");
        String metrics = scrape(f.active().adminAddresses().get(0).getPort(), "/metrics");
        assertThat(metrics).contains("istio_requests_total{")
                .contains("istio_request_duration_milliseconds_bucket{")
                .contains("reporter=\"waypoint\"")
                .contains("response_code=\"503\"")
                .contains("response_code=\"200\"")
                .contains("destination_service=\"reviews.default.svc.cluster.local\"")
                .contains("source_principal=\"" + WaypointFixture.CLIENT + "\"");
        assertThat(scrape(f.active().adminAddresses().get(1).getPort(), "/healthz/ready")).isEqualTo("ready\n");
    }

    private static String scrape(int port, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        try {
            return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
