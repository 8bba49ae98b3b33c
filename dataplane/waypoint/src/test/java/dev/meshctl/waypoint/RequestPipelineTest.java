package dev.meshctl.waypoint;

import static org.assertj.core.api.Assertions.assertThat;


import dev.meshctl.api.mesh.Backend;
import dev.meshctl.api.mesh.Fault;
import dev.meshctl.api.mesh.Header;
import dev.meshctl.api.mesh.HeaderModifier;
import dev.meshctl.api.mesh.LoadBalancing;
import dev.meshctl.api.mesh.Redirect;
import dev.meshctl.api.mesh.Retry;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.RouteFilter;
import dev.meshctl.api.mesh.RouteRule;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Timeouts;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.waypoint.upstream.Endpoint;
import dev.meshctl.waypoint.upstream.OutlierDetector;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The request pipeline with a fake exchange (no sockets): retries, timeouts, faults, headers, balancing. */
class RequestPipelineTest {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> perEndpoint = new ConcurrentHashMap<>();
    final AtomicLong clock = new AtomicLong();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    static com.google.protobuf.Duration ms(long millis) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(millis / 1000)
                .setNanos((int) (millis % 1000) * 1_000_000).build();
    }

    static Mesh mesh() {
        return new Mesh().service("reviews", "10.96.0.10", 9080, "http")
                .workload("a", "10.244.0.1", 9080, "reviews", "reviews")
                .workload("b", "10.244.0.2", 9080, "reviews", "reviews");
    }

    static Route route(RouteRule rule) {
        return Route.newBuilder().setName("r").setNamespace("default").addParents(Mesh.key("reviews"))
                .addRules(rule.toBuilder().addBackends(Backend.newBuilder().setService(Mesh.key("reviews"))
                        .setPort(9080).setWeight(1))).build();
    }

    RequestPipeline pipeline(ConfigState state,
                             BiFunction<Endpoint, ProxyRequest, CompletableFuture<ProxyResponse>> exchange) {
        MeshView view = MeshView.of(state, Mesh.WAYPOINT);
        return new RequestPipeline(() -> view, scheduler, n -> 0, () -> 0.5,
                new OutlierDetector(5, Duration.ofSeconds(30), clock::get), (e, r) -> {
                    calls.add(e.name() + " " + r.method() + " " + r.uri());
                    perEndpoint.computeIfAbsent(e.name(), k -> new AtomicInteger()).incrementAndGet();
                    return exchange.apply(e, r);
                });
    }

    static CompletableFuture<ProxyResponse> ok(String text) {
        return CompletableFuture.completedFuture(ProxyResponse.local(200, text, "-"));
    }

    ProxyResponse serve(RequestPipeline p, ProxyRequest r) throws Exception {
        return p.serve(r).get(10, TimeUnit.SECONDS);
    }

    @Test
    void retriesHideABackendFailingHalfItsRequests() throws Exception {
        AtomicInteger n = new AtomicInteger();
        RequestPipeline p = pipeline(mesh().add(route(RouteRule.newBuilder()
                .setRetry(Retry.newBuilder().setAttempts(3).setBackoff(ms(1))).build())).build(),
                (e, r) -> n.incrementAndGet() % 2 == 0
                        ? CompletableFuture.completedFuture(ProxyResponse.local(503, "down", "-")) : ok(e.name()));
        for (int i = 0; i < 50; i++) {
            assertThat(serve(p, Requests.get("/")).status()).isEqualTo(200);
        }
        assertThat(calls.size()).isGreaterThan(50);
    }

    @Test
    void withoutRetriesTheFailureShows() throws Exception {
        RequestPipeline p = pipeline(mesh().build(),
                (e, r) -> CompletableFuture.completedFuture(ProxyResponse.local(503, "down", "-")));
        assertThat(serve(p, Requests.get("/")).status()).isEqualTo(503);
        assertThat(calls).hasSize(1);
    }

    @Test
    void perTryTimeoutRetriesThenRequestTimeoutAnswers504() throws Exception {
        RequestPipeline p = pipeline(mesh().add(route(RouteRule.newBuilder()
                .setRetry(Retry.newBuilder().setAttempts(2).setPerTryTimeout(ms(50))
                        .setBackoff(ms(1)))
                .build())).build(), (e, r) -> new CompletableFuture<>());
        ProxyResponse r = serve(p, Requests.get("/"));
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.flags()).isEqualTo("UT");
        assertThat(calls).hasSize(3);

        calls.clear();
        RequestPipeline whole = pipeline(mesh().add(route(RouteRule.newBuilder()
                .setTimeouts(Timeouts.newBuilder().setRequest(ms(80))).build())).build(),
                (e, req) -> new CompletableFuture<>());
        assertThat(serve(whole, Requests.get("/")).status()).isEqualTo(504);
        assertThat(calls).hasSize(1);
    }

    @Test
    void timeoutCancelsTheUpstreamExchange() throws Exception {
        CompletableFuture<ProxyResponse> pending = new CompletableFuture<>();
        RequestPipeline p = pipeline(mesh().add(route(RouteRule.newBuilder()
                .setTimeouts(Timeouts.newBuilder().setBackendRequest(ms(30))).build())).build(),
                (e, r) -> pending);
        assertThat(serve(p, Requests.get("/")).status()).isEqualTo(504);
        assertThat(pending).isCancelled();
    }

    @Test
    void faultsAbortAndDelay() throws Exception {
        RequestPipeline abort = pipeline(mesh().add(route(RouteRule.newBuilder().setFault(Fault.newBuilder()
                .setAbort(Fault.Abort.newBuilder().setHttpStatus(418).setPercentage(100))).build())).build(),
                (e, r) -> ok("x"));
        ProxyResponse r = serve(abort, Requests.get("/"));
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.flags()).isEqualTo("FI");
        assertThat(calls).isEmpty();

        RequestPipeline half = pipeline(mesh().add(route(RouteRule.newBuilder().setFault(Fault.newBuilder()
                .setAbort(Fault.Abort.newBuilder().setHttpStatus(500).setPercentage(40))).build())).build(),
                (e, req) -> ok("x"));
        assertThat(serve(half, Requests.get("/")).status()).isEqualTo(200); // draw 0.5 * 100 >= 40

        long start = System.nanoTime();
        RequestPipeline delay = pipeline(mesh().add(route(RouteRule.newBuilder().setFault(Fault.newBuilder()
                .setDelay(Fault.Delay.newBuilder().setFixedDelay(ms(100)).setPercentage(100)))
                .build())).build(), (e, req) -> ok("x"));
        ProxyResponse delayed = serve(delay, Requests.get("/"));
        assertThat(delayed.status()).isEqualTo(200);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void changesHeadersAndRedirects() throws Exception {
        List<ProxyRequest> seen = new CopyOnWriteArrayList<>();
        RequestPipeline p = pipeline(mesh().add(route(RouteRule.newBuilder()
                .addFilters(RouteFilter.newBuilder().setRequestHeaderModifier(HeaderModifier.newBuilder()
                        .addSet(Header.newBuilder().setName("x-set").setValue("1"))
                        .addAdd(Header.newBuilder().setName("x-add").setValue("2"))
                        .addRemove("x-drop")))
                .addFilters(RouteFilter.newBuilder().setResponseHeaderModifier(HeaderModifier.newBuilder()
                        .addSet(Header.newBuilder().setName("x-resp").setValue("3"))))
                .build())).build(), (e, r) -> {
                    seen.add(r);
                    return ok("x");
                });
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        h.add("x-drop", "gone");
        h.add("x-set", "old");
        ProxyResponse r = serve(p, Requests.of("GET", "/", h));
        assertThat(r.headers().get("x-resp")).isEqualTo("3");
        assertThat(seen.get(0).headers().get("x-set")).isEqualTo("1");
        assertThat(seen.get(0).headers().get("x-add")).isEqualTo("2");
        assertThat(seen.get(0).headers().contains("x-drop")).isFalse();

        RequestPipeline redirect = pipeline(mesh().add(route(RouteRule.newBuilder()
                .addFilters(RouteFilter.newBuilder().setRequestRedirect(Redirect.newBuilder()
                        .setHostname("example.com").setStatusCode(301))).build())).build(), (e, req) -> ok("x"));
        ProxyResponse moved = serve(redirect, Requests.get("/a?b=c"));
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.headers().get("location")).isEqualTo("http://example.com:9080/a?b=c");
    }

    @Test
    void noMatchingRuleAnswers404AndNoEndpointAnswers503() throws Exception {
        RequestPipeline p = pipeline(mesh().add(route(RouteRule.newBuilder().addMatches(
                dev.meshctl.api.mesh.RouteMatch.newBuilder().setMethod("POST")).build())).build(), (e, r) -> ok("x"));
        assertThat(serve(p, Requests.get("/")).status()).isEqualTo(404);
        RequestPipeline empty = pipeline(new Mesh().service("reviews", "10.96.0.10", 9080, "http").build(),
                (e, r) -> ok("x"));
        ProxyResponse r = serve(empty, Requests.get("/"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.flags()).isEqualTo("UH");
    }

    @Test
    void roundRobinAlternatesAndEjectionSkipsAFailingEndpoint() throws Exception {
        RequestPipeline p = pipeline(mesh().build(), (e, r) -> e.name().equals("a")
                ? CompletableFuture.completedFuture(ProxyResponse.local(500, "broken", "-")) : ok("b"));
        for (int i = 0; i < 10; i++) {
            serve(p, Requests.get("/"));
        }
        assertThat(perEndpoint.get("a").get()).isEqualTo(5);
        assertThat(perEndpoint.get("b").get()).isEqualTo(5);
        // "a" failed 5 times in a row: ejected for 30 s, so everything goes to "b".
        for (int i = 0; i < 10; i++) {
            assertThat(serve(p, Requests.get("/")).status()).isEqualTo(200);
        }
        assertThat(perEndpoint.get("a").get()).isEqualTo(5);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(31));
        serve(p, Requests.get("/"));
        serve(p, Requests.get("/"));
        assertThat(perEndpoint.get("a").get()).isEqualTo(6);
    }

    @Test
    void neverEjectsEveryEndpoint() throws Exception {
        RequestPipeline p = pipeline(mesh().build(),
                (e, r) -> CompletableFuture.completedFuture(ProxyResponse.local(500, "broken", "-")));
        for (int i = 0; i < 30; i++) {
            serve(p, Requests.get("/"));
        }
        assertThat(calls).hasSize(30);
    }

    @Test
    void leastRequestAvoidsTheBusyEndpoint() throws Exception {
        ConfigState state = mesh().build();
        Service lr = state.resources(Service.class).get(Mesh.key("reviews")).toBuilder()
                .setLoadBalancing(LoadBalancing.newBuilder().setMode(LoadBalancing.Mode.LEAST_REQUEST)).build();
        state = new Mesh().add(lr).workload("a", "10.244.0.1", 9080, "reviews", "reviews")
                .workload("b", "10.244.0.2", 9080, "reviews", "reviews").build();
        CompletableFuture<ProxyResponse> stuck = new CompletableFuture<>();
        MeshView view = MeshView.of(state, Mesh.WAYPOINT);
        AtomicInteger draw = new AtomicInteger();
        // The two random picks are always (a, b): least request takes the less loaded one.
        RequestPipeline p = new RequestPipeline(() -> view, scheduler, n -> draw.getAndIncrement() % 2, () -> 0.5,
                OutlierDetector.defaults(), (e, r) -> {
                    perEndpoint.computeIfAbsent(e.name(), k -> new AtomicInteger()).incrementAndGet();
                    return e.name().equals("a") ? stuck : ok("b");
                });
        p.serve(Requests.get("/")); // a is now busy
        for (int i = 0; i < 10; i++) {
            serve(p, Requests.get("/"));
        }
        assertThat(perEndpoint.get("a").get()).isEqualTo(1);
        assertThat(perEndpoint.get("b").get()).isEqualTo(10);
        stuck.complete(ProxyResponse.local(200, "a", "-"));
    }
}
