package dev.meshctl.lab.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Calls the bookstore's upstream services over HTTP/1.1, off the event loop, never failing the returned future. */
final class UpstreamClient implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final ExecutorService executor;
    private final HttpClient client;
    private final Duration requestTimeout;

    UpstreamClient() {
        this(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    UpstreamClient(Duration connectTimeout, Duration requestTimeout) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        AtomicInteger threads = new AtomicInteger();
        // Daemon threads: an idle pool must never keep a pod's JVM alive after the server stopped.
        this.executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "sample-upstream-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /**
     * Sends {@code GET base+path} with the given headers; the future always completes normally, with an error
     * result when the upstream could not be reached or did not answer 2xx JSON.
     */
    CompletableFuture<UpstreamResult> get(String name, URI base, String path, Map<String, String> headers) {
        Objects.requireNonNull(name, "name");
        URI uri = resolve(base, path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
        headers.forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure != null
                        ? UpstreamResult.fromFailure(name, uri, failure)
                        : UpstreamResult.fromResponse(name, response.statusCode(), response.body()));
    }

    /** Appends an absolute path to a base URL such as {@code http://details:9080} or {@code http://details:9080/}. */
    static URI resolve(URI base, String path) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(path, "path");
        String prefix = base.toString();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return URI.create(prefix + path);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
