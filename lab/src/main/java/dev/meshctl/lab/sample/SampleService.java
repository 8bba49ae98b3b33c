package dev.meshctl.lab.sample;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Answers requests for the role the application plays; knows nothing of channels or framing.
 * Answers that wait (delays, upstream calls) complete their future later, on another thread.
 */
final class SampleService implements AutoCloseable {

    private final SampleAppConfig config;
    /** Built on first need; stays null for roles that call no other service. Guarded by {@code this}. */
    private CompletableFuture<UpstreamClient> upstream;
    private boolean closed;

    SampleService(SampleAppConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Starts building the HTTP client, in the background, if this role calls other services. The JDK client loads
     * the whole TLS stack when built, so the server calls this once it listens rather than paying for it before.
     */
    void prepareUpstreams() {
        if (callsUpstreams(config)) {
            upstream();
        }
    }

    /** Answers one request; {@code scheduler} runs delayed answers (the channel's event loop serves well). */
    CompletableFuture<SampleResponse> handle(SampleRequest request, ScheduledExecutorService scheduler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(scheduler, "scheduler");
        SampleRoute route = SampleRoute.decide(request.path(), config.role());
        Map<String, Object> body = common(request);
        switch (route.kind()) {
            case HEALTHZ:
                return CompletableFuture.completedFuture(SampleResponse.text(200, "ok"));
            case HEADERS:
                body.put("headers", headers(request));
                return answer(200, body);
            case STATUS:
                return answer(route.argument(), body);
            case DELAY:
                return delayed(body, route.argument(), scheduler);
            case BAD_REQUEST:
                body.put("error", route.problem());
                return answer(400, body);
            case DETAILS:
                body.put("book", BookstoreData.book(route.argument()));
                return answer(200, body);
            case RATINGS:
                body.put("id", route.argument());
                body.put("ratings", BookstoreData.ratings());
                return answer(200, body);
            case REVIEWS:
                return reviews(request, body, route.argument());
            case PRODUCTPAGE:
                return productPage(request, body);
            case ECHO:
                return answer(200, body);
            default:
                throw new IllegalStateException("BUG: no answer for route " + route);
        }
    }

    private static CompletableFuture<SampleResponse> delayed(Map<String, Object> body, int ms,
                                                             ScheduledExecutorService scheduler) {
        body.put("delayMs", ms);
        CompletableFuture<SampleResponse> result = new CompletableFuture<>();
        scheduler.schedule(() -> result.complete(toResponse(200, body)), ms, TimeUnit.MILLISECONDS);
        return result;
    }

    private CompletableFuture<SampleResponse> reviews(SampleRequest request, Map<String, Object> body, int id) {
        body.put("id", id);
        body.put("reviews", BookstoreData.reviews());
        String stars = BookstoreData.starColour(config.version());
        if (stars == null) {
            return answer(200, body);
        }
        return call("ratings", config.ratingsUrl(), "/ratings/" + id, request.propagatedHeaders())
                .thenApply(ratings -> {
                    body.put("ratings", ratings.toJson());
                    body.put("stars", stars);
                    return toResponse(200, body);
                });
    }

    private CompletableFuture<SampleResponse> productPage(SampleRequest request, Map<String, Object> body) {
        Map<String, String> headers = request.propagatedHeaders();
        CompletableFuture<UpstreamResult> details = call("details", config.detailsUrl(), "/details/0", headers);
        CompletableFuture<UpstreamResult> reviews = call("reviews", config.reviewsUrl(), "/reviews/0", headers);
        return details.thenCombine(reviews, (d, r) -> {
            body.put("details", d.toJson());
            body.put("reviews", r.toJson());
            // A page with half its content still helps the reader; with none it is an outage.
            return toResponse(d.ok() || r.ok() ? 200 : 503, body);
        });
    }

    private CompletableFuture<UpstreamResult> call(String name, URI base, String path, Map<String, String> headers) {
        return upstream().thenCompose(client -> client.get(name, base, path, headers));
    }

    private synchronized CompletableFuture<UpstreamClient> upstream() {
        if (upstream == null) {
            upstream = CompletableFuture.supplyAsync(UpstreamClient::new, SampleService::startDaemon);
            if (closed) {
                upstream.thenAccept(UpstreamClient::close);
            }
        }
        return upstream;
    }

    private Map<String, Object> common(SampleRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", config.service());
        body.put("version", config.version());
        body.put("pod", config.podName());
        body.put("namespace", config.podNamespace());
        body.put("node", config.nodeName());
        body.put("podIP", config.podIp());
        body.put("serviceAccount", config.serviceAccount());
        body.put("client", request.client());
        body.put("method", request.method());
        body.put("path", request.path());
        body.put("protocol", request.protocol());
        return body;
    }

    private static Map<String, Object> headers(SampleRequest request) {
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey();
            // Netty's HTTP/2-to-HTTP/1 conversion adds these; the client never sent them.
            if (name.toLowerCase(Locale.ROOT).startsWith("x-http2-")) {
                continue;
            }
            headers.merge(name, header.getValue(), (a, b) -> a + "," + b);
        }
        return headers;
    }

    private static CompletableFuture<SampleResponse> answer(int status, Map<String, Object> body) {
        return CompletableFuture.completedFuture(toResponse(status, body));
    }

    private static SampleResponse toResponse(int status, Map<String, Object> body) {
        return SampleResponse.json(status, Json.write(body));
    }

    private static boolean callsUpstreams(SampleAppConfig config) {
        return config.role() == SampleRole.PRODUCTPAGE
                || (config.role() == SampleRole.REVIEWS && BookstoreData.starColour(config.version()) != null);
    }

    private static void startDaemon(Runnable task) {
        Thread thread = new Thread(task, "sample-upstream-init");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (upstream != null) {
            upstream.thenAccept(UpstreamClient::close);
        }
    }
}
