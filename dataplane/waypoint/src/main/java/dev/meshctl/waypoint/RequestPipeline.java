package dev.meshctl.waypoint;

import dev.meshctl.api.mesh.Backend;
import dev.meshctl.api.mesh.HeaderModifier;
import dev.meshctl.api.mesh.LoadBalancing;
import dev.meshctl.api.mesh.RouteFilter;
import dev.meshctl.api.mesh.RouteMatch;
import dev.meshctl.api.mesh.RouteRule;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.waypoint.filter.AuthorizationFilter;
import dev.meshctl.waypoint.filter.FaultFilter;
import dev.meshctl.waypoint.filter.HeaderModifierFilter;
import dev.meshctl.waypoint.filter.RetryFilter;
import dev.meshctl.waypoint.filter.TimeoutFilter;
import dev.meshctl.waypoint.route.BackendPicker;
import dev.meshctl.waypoint.route.RouteEntry;
import dev.meshctl.waypoint.route.Rewrites;
import dev.meshctl.waypoint.upstream.BackendService;
import dev.meshctl.waypoint.upstream.Endpoint;
import dev.meshctl.waypoint.upstream.EndpointLoad;
import dev.meshctl.waypoint.upstream.LoadBalancer;
import dev.meshctl.waypoint.upstream.OutlierDetector;
import dev.meshctl.waypoint.upstream.UpstreamClient;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;

/**
 * Serves one request through the waypoint: authorization, then the matching route rule's filters around its
 * chosen backend.
 *
 * <p>Order, outermost first: L7 authorization (403), route selection (404 when routes exist but none matches),
 * redirect, response header changes, fault injection, request timeout (504), retries (each with the per-try or
 * backend-request timeout), request header changes and URL rewrite, then one endpoint per attempt. The backend is
 * chosen by weight once per request; endpoints per attempt, so a retry can land elsewhere.
 */
public final class RequestPipeline implements HttpService {

    private final Supplier<MeshView> view;
    private final ScheduledExecutorService scheduler;
    private final BackendPicker picker;
    private final DoubleSupplier faultRandom;
    private final LoadBalancer balancer;
    private final OutlierDetector outliers;
    private final EndpointLoad load;
    private final BiFunction<Endpoint, ProxyRequest, CompletableFuture<ProxyResponse>> exchange;

    /** Creates the pipeline over the current {@code view}, sending requests with {@code client}. */
    public RequestPipeline(Supplier<MeshView> view, ScheduledExecutorService scheduler, UpstreamClient client,
                           OutlierDetector outliers) {
        this(view, scheduler, n -> ThreadLocalRandom.current().nextInt(n), () -> ThreadLocalRandom.current().nextDouble(),
                outliers, Objects.requireNonNull(client, "client")::exchange);
    }

    /** Creates the pipeline with explicit randomness and exchange (for tests). */
    public RequestPipeline(Supplier<MeshView> view, ScheduledExecutorService scheduler, IntUnaryOperator random,
                           DoubleSupplier faultRandom, OutlierDetector outliers,
                           BiFunction<Endpoint, ProxyRequest, CompletableFuture<ProxyResponse>> exchange) {
        this.view = Objects.requireNonNull(view, "view");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.picker = new BackendPicker(random);
        this.faultRandom = Objects.requireNonNull(faultRandom, "faultRandom");
        this.load = new EndpointLoad();
        this.balancer = new LoadBalancer(random, load::inFlight);
        this.outliers = Objects.requireNonNull(outliers, "outliers");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
    }

    /** Returns the in-flight counts used by least-request balancing. */
    public EndpointLoad load() {
        return load;
    }

    @Override
    public CompletableFuture<ProxyResponse> serve(ProxyRequest request) {
        MeshView mesh = view.get();
        return new AuthorizationFilter(mesh::policies, r -> route(mesh, r)).serve(request);
    }

    private CompletableFuture<ProxyResponse> route(MeshView mesh, ProxyRequest request) {
        Destination d = request.context().destination();
        if (d.workloadUid().isPresent()) {
            List<Endpoint> one = mesh.workloadEndpoint(d).map(List::of).orElse(List.of());
            return backend(d.workloadUid().get(), LoadBalancing.Mode.ROUND_ROBIN, one).serve(request);
        }
        String serviceKey = d.serviceKey().orElseThrow();
        Optional<RouteEntry> entry = mesh.routes().select(serviceKey, request);
        if (entry.isEmpty()) {
            if (mesh.routes().hasRoutes(serviceKey)) {
                return done(ProxyResponse.local(404, "route not found", "NR"));
            }
            return serviceBackend(mesh, serviceKey, d.port().getServicePort()).serve(request);
        }
        return rule(mesh, entry.get(), request);
    }

    private CompletableFuture<ProxyResponse> rule(MeshView mesh, RouteEntry entry, ProxyRequest request) {
        RouteRule rule = entry.rule();
        RouteMatch match = entry.match();
        HeaderModifier requestHeaders = HeaderModifier.getDefaultInstance();
        HeaderModifier responseHeaders = HeaderModifier.getDefaultInstance();
        ProxyRequest rewritten = request;
        for (RouteFilter f : rule.getFiltersList()) {
            switch (f.getKindCase()) {
                case REQUEST_REDIRECT -> {
                    ProxyResponse redirect = ProxyResponse.local(Rewrites.status(f.getRequestRedirect()), "", "-");
                    redirect.headers().set(HttpHeaderNames.LOCATION,
                            Rewrites.location(f.getRequestRedirect(), request, match));
                    return done(redirect);
                }
                case URL_REWRITE -> rewritten = Rewrites.rewrite(f.getUrlRewrite(), rewritten, match);
                case REQUEST_HEADER_MODIFIER -> requestHeaders = merge(requestHeaders, f.getRequestHeaderModifier());
                case RESPONSE_HEADER_MODIFIER -> responseHeaders = merge(responseHeaders,
                        f.getResponseHeaderModifier());
                case KIND_NOT_SET -> { }
            }
        }
        Optional<Backend> backend = picker.pick(rule.getBackendsList());
        if (backend.isEmpty()) {
            return done(ProxyResponse.local(500, "route has no backend with weight", "NR"));
        }
        Backend b = backend.get();
        int port = b.getPort() != 0 ? b.getPort() : request.context().destination().port().getServicePort();
        HttpService inner = serviceBackend(mesh, b.getService(), port);
        for (RouteFilter f : b.getFiltersList()) {
            if (f.hasRequestHeaderModifier() || f.hasResponseHeaderModifier()) {
                inner = new HeaderModifierFilter(f.getRequestHeaderModifier(), f.getResponseHeaderModifier(), inner);
            }
        }
        inner = new HeaderModifierFilter(requestHeaders, HeaderModifier.getDefaultInstance(), inner);
        Optional<Duration> perTry = min(rule.hasRetry() && rule.getRetry().hasPerTryTimeout()
                        ? Optional.of(duration(rule.getRetry().getPerTryTimeout())) : Optional.empty(),
                rule.hasTimeouts() && rule.getTimeouts().hasBackendRequest()
                        ? Optional.of(duration(rule.getTimeouts().getBackendRequest())) : Optional.empty());
        if (rule.hasRetry() && rule.getRetry().getAttempts() > 0) {
            inner = new RetryFilter(rule.getRetry(), perTry, scheduler, inner);
        } else if (perTry.isPresent()) {
            inner = new TimeoutFilter(perTry.get(), scheduler, inner);
        }
        if (rule.hasTimeouts() && rule.getTimeouts().hasRequest()) {
            Duration total = duration(rule.getTimeouts().getRequest());
            if (!total.isZero()) { // Gateway API: 0 disables the timeout
                inner = new TimeoutFilter(total, scheduler, inner);
            }
        }
        if (rule.hasFault()) {
            inner = new FaultFilter(rule.getFault(), scheduler, faultRandom, inner);
        }
        inner = new HeaderModifierFilter(HeaderModifier.getDefaultInstance(), responseHeaders, inner);
        return inner.serve(rewritten);
    }

    private HttpService serviceBackend(MeshView mesh, String serviceKey, int port) {
        LoadBalancing.Mode mode = mesh.service(serviceKey).map(Service::getLoadBalancing)
                .map(LoadBalancing::getMode).orElse(LoadBalancing.Mode.ROUND_ROBIN);
        return backend(serviceKey + ":" + port, mode, mesh.endpoints(serviceKey, port));
    }

    private HttpService backend(String key, LoadBalancing.Mode mode, List<Endpoint> endpoints) {
        return new BackendService(key, mode, endpoints, balancer, outliers, load, exchange);
    }

    private static HeaderModifier merge(HeaderModifier a, HeaderModifier b) {
        return a.toBuilder().mergeFrom(b).build();
    }

    private static Optional<Duration> min(Optional<Duration> a, Optional<Duration> b) {
        Optional<Duration> pa = a.filter(d -> !d.isZero());
        Optional<Duration> pb = b.filter(d -> !d.isZero());
        if (pa.isPresent() && pb.isPresent()) {
            return Optional.of(pa.get().compareTo(pb.get()) <= 0 ? pa.get() : pb.get());
        }
        return pa.isPresent() ? pa : pb;
    }

    private static Duration duration(com.google.protobuf.Duration d) {
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    private static CompletableFuture<ProxyResponse> done(ProxyResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
