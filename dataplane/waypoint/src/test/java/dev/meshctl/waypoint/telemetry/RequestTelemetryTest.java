package dev.meshctl.waypoint.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.waypoint.Destination;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import dev.meshctl.waypoint.RequestContext;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The waypoint's request metrics carry Istio's standard labels of both ends. */
class RequestTelemetryTest {

    private static final String CURL = "spiffe://cluster.local/ns/default/sa/curl";
    private static final String BAGGAGE = "k8s.cluster.name=Kubernetes,k8s.namespace.name=default,"
            + "k8s.deployment.name=curl,service.name=curl,service.version=v1,app.name=curl,app.version=v1";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static ProxyRequest request(Map<String, String> baggage) {
        Destination d = new Destination(new InetSocketAddress("10.96.0.10", 9080),
                Optional.of("default/reviews.default.svc.cluster.local"), Optional.empty(), "default", "reviews",
                Port.newBuilder().setServicePort(9080).setTargetPort(9080).build());
        RequestContext c = new RequestContext(CURL, new InetSocketAddress("10.244.1.5", 40000), d, baggage);
        return new ProxyRequest("GET", "/", "reviews:9080", new DefaultHttpHeaders(), new byte[0], c);
    }

    private static ProxyResponse answered() {
        return ProxyResponse.local(200, "ok", "-").withUpstream(new ProxyResponse.Peer("reviews-v2", "default",
                "spiffe://cluster.local/ns/default/sa/reviews"));
    }

    private String tag(String name) {
        return registry.getMeters().stream().filter(m -> m.getId().getName().equals(RequestTelemetry.REQUESTS))
                .map(Meter::getId).map(id -> id.getTag(name)).findFirst().orElseThrow();
    }

    /** Names the source from its baggage and the destination from a workload of that owner. */
    private final RequestTelemetry.Peers peers = new RequestTelemetry.Peers() {
        @Override
        public PeerLabels source(ProxyRequest request) {
            return PeerLabels.fromBaggage(request.context().baggage(), request.context().peerNamespace())
                    .orElse(PeerLabels.NONE);
        }

        @Override
        public PeerLabels destination(ProxyResponse.Peer upstream) {
            return PeerLabels.of(Workload.newBuilder().setName("reviews-v2-abc").setWorkloadName(upstream.workload())
                    .putLabels("app", "reviews").putLabels("version", "v2").setCanonicalName("reviews")
                    .setCanonicalRevision("v2").build());
        }
    };

    @Test
    void labelsBothEndsAsIstioDoes() {
        new RequestTelemetry(registry, peers).record(request(PeerLabels.parseBaggage(BAGGAGE)), answered(),
                1_000_000, "http");

        assertThat(tag("source_workload")).isEqualTo("curl");
        assertThat(tag("source_app")).isEqualTo("curl");
        assertThat(tag("source_version")).isEqualTo("v1");
        assertThat(tag("source_canonical_service")).isEqualTo("curl");
        assertThat(tag("source_canonical_revision")).isEqualTo("v1");
        assertThat(tag("source_cluster")).isEqualTo("Kubernetes");
        assertThat(tag("destination_workload")).isEqualTo("reviews-v2");
        assertThat(tag("destination_app")).isEqualTo("reviews");
        assertThat(tag("destination_version")).isEqualTo("v2");
        assertThat(tag("destination_canonical_service")).isEqualTo("reviews");
        assertThat(tag("destination_canonical_revision")).isEqualTo("v2");
        assertThat(tag("destination_cluster")).isEqualTo("Kubernetes");
        assertThat(registry.get(RequestTelemetry.DURATION).summary().count()).isEqualTo(1);
    }

    @Test
    void anUnknownClientAndALocalAnswerAreUnknown() {
        new RequestTelemetry(registry, peers).record(request(Map.of()), ProxyResponse.local(503, "no", "UH"), 1,
                "http");

        assertThat(tag("source_workload")).isEqualTo("unknown");
        assertThat(tag("source_app")).isEqualTo("unknown");
        assertThat(tag("source_cluster")).isEqualTo("unknown");
        assertThat(tag("destination_workload")).isEqualTo("unknown");
        assertThat(tag("destination_canonical_service")).isEqualTo("unknown");
        assertThat(tag("response_flags")).isEqualTo("UH");
    }
}
