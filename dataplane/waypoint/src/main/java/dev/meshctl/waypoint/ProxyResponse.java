package dev.meshctl.waypoint;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP response, fully read, from a backend or made by the waypoint itself.
 *
 * @param status the status code
 * @param headers the regular headers (treat as read-only)
 * @param body the body
 * @param trailers trailing headers (gRPC status), possibly empty
 * @param flags Envoy-style response flags for telemetry ({@code -} when none), e.g. {@code UT} upstream timeout,
 *              {@code UH} no healthy upstream, {@code UF} upstream connect failure, {@code FI} fault injected
 * @param upstream the workload that answered, when a backend did
 */
public record ProxyResponse(int status, HttpHeaders headers, byte[] body, HttpHeaders trailers, String flags,
                            Optional<Peer> upstream) {

    /** Names the workload that answered, for telemetry. */
    public record Peer(String workload, String namespace, String principal) {
    }

    /** Checks that every part is present. */
    public ProxyResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(trailers, "trailers");
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(upstream, "upstream");
    }

    /** Creates a response with no known upstream. */
    public ProxyResponse(int status, HttpHeaders headers, byte[] body, HttpHeaders trailers, String flags) {
        this(status, headers, body, trailers, flags, Optional.empty());
    }

    /** Returns a plain-text response made by the waypoint. */
    public static ProxyResponse local(int status, String text, String flags) {
        HttpHeaders headers = new DefaultHttpHeaders()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        return new ProxyResponse(status, headers, text.getBytes(StandardCharsets.UTF_8), new DefaultHttpHeaders(),
                flags);
    }

    /** Returns a copy with {@code newHeaders}. */
    public ProxyResponse withHeaders(HttpHeaders newHeaders) {
        return new ProxyResponse(status, newHeaders, body, trailers, flags, upstream);
    }

    /** Returns a copy carrying {@code newFlags}. */
    public ProxyResponse withFlags(String newFlags) {
        return new ProxyResponse(status, headers, body, trailers, newFlags, upstream);
    }

    /** Returns a copy naming the workload that answered. */
    public ProxyResponse withUpstream(Peer peer) {
        return new ProxyResponse(status, headers, body, trailers, flags, Optional.of(peer));
    }

    /** Returns a mutable copy of the headers. */
    public HttpHeaders copyHeaders() {
        return new DefaultHttpHeaders().add(headers);
    }

    /** Returns the body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
