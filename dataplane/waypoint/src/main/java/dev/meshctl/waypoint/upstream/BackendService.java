package dev.meshctl.waypoint.upstream;

import dev.meshctl.api.mesh.LoadBalancing;
import dev.meshctl.waypoint.HttpService;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Sends each request (each retry attempt) to one endpoint of a backend: leaves out ejected endpoints, balances
 * over the rest, counts load and records the outcome for ejection. Answers 503 {@code no healthy upstream}
 * (flag {@code UH}) when the backend has no endpoint.
 */
public final class BackendService implements HttpService {

    private final String key;
    private final LoadBalancing.Mode mode;
    private final List<Endpoint> endpoints;
    private final LoadBalancer balancer;
    private final OutlierDetector outliers;
    private final EndpointLoad load;
    private final BiFunction<Endpoint, ProxyRequest, CompletableFuture<ProxyResponse>> exchange;

    /**
     * Creates the service of backend {@code key} ("namespace/hostname:port") over {@code endpoints};
     * {@code exchange} performs one request (normally {@link UpstreamClient#exchange}).
     */
    public BackendService(String key, LoadBalancing.Mode mode, List<Endpoint> endpoints, LoadBalancer balancer,
                          OutlierDetector outliers, EndpointLoad load,
                          BiFunction<Endpoint, ProxyRequest, CompletableFuture<ProxyResponse>> exchange) {
        this.key = Objects.requireNonNull(key, "key");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.endpoints = List.copyOf(endpoints);
        this.balancer = Objects.requireNonNull(balancer, "balancer");
        this.outliers = Objects.requireNonNull(outliers, "outliers");
        this.load = Objects.requireNonNull(load, "load");
        this.exchange = Objects.requireNonNull(exchange, "exchange");
    }

    @Override
    public CompletableFuture<ProxyResponse> serve(ProxyRequest request) {
        Optional<Endpoint> chosen = balancer.choose(key, mode, outliers.available(endpoints));
        if (chosen.isEmpty()) {
            return CompletableFuture.completedFuture(ProxyResponse.local(503, "no healthy upstream", "UH"));
        }
        Endpoint endpoint = chosen.get();
        load.started(endpoint);
        CompletableFuture<ProxyResponse> answer = exchange.apply(endpoint, request);
        CompletableFuture<ProxyResponse> out = answer.handle((r, e) -> {
            load.finished(endpoint);
            if (e != null) {
                return null; // cancelled by a timeout: not the endpoint's fault
            }
            boolean failed = r.status() >= 500 || r.flags().equals("UF") || r.flags().equals("UR");
            outliers.record(endpoint, failed);
            return r.withUpstream(new ProxyResponse.Peer(endpoint.workloadName(), endpoint.namespace(),
                    endpoint.identity()));
        });
        // Cancelling what the caller holds must reach the exchange (it resets the stream).
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                answer.cancel(false);
            }
        });
        return out;
    }
}
