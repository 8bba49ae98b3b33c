package dev.meshctl.waypoint.http;

import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import dev.meshctl.waypoint.RequestContext;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Converts between Netty's HTTP messages and the waypoint's {@link ProxyRequest} / {@link ProxyResponse}, dropping
 * what must not cross a proxy: hop-by-hop headers, HTTP/2 conversion headers, and identity headers a client could
 * forge ({@code x-forwarded-client-cert} and friends).
 */
public final class HttpMessages {

    /** Headers that only describe one hop (RFC 9110 section 7.6.1) or Netty's HTTP/2 conversion. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings",
            "content-length", "host");

    /** Identity headers only the mesh may set; a client sending them is ignored. */
    public static final Set<String> IDENTITY_HEADERS = Set.of("x-forwarded-client-cert", "x-client-cert",
            "x-ssl-client-cert", "x-ssl-client-dn", "x-peer-identity", "x-spiffe-id", "x-meshctl-peer",
            "x-istio-attributes", "x-envoy-peer-metadata", "x-envoy-peer-metadata-id");

    private HttpMessages() {
    }

    /**
     * Returns {@code request} as a {@link ProxyRequest}, or empty when its authority is missing or ambiguous; answer
     * those 400. HTTP/1.1 needs exactly one {@code Host}; over HTTP/2 (where the codec turns {@code :authority} into
     * {@code Host}) repeated values must all be the same host, so {@code :authority} and {@code Host} cannot name
     * two different services.
     */
    public static Optional<ProxyRequest> fromNetty(FullHttpRequest request, boolean h2, RequestContext context) {
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        long distinct = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).distinct().count();
        if (hosts.isEmpty() || hosts.get(0).isBlank() || distinct != 1 || (!h2 && hosts.size() != 1)) {
            return Optional.empty();
        }
        String authority = hosts.get(0);
        HttpHeaders headers = new DefaultHttpHeaders();
        Set<String> connectionListed = connectionTokens(request.headers());
        request.headers().forEach(e -> {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!dropped(name) && !connectionListed.contains(name) && !IDENTITY_HEADERS.contains(name)) {
                headers.add(name, e.getValue());
            }
        });
        if ("trailers".equalsIgnoreCase(request.headers().get(HttpHeaderNames.TE))) {
            headers.set(HttpHeaderNames.TE, "trailers"); // gRPC needs it end to end
        }
        String uri = request.uri();
        if (!uri.startsWith("/")) {
            return Optional.empty(); // absolute-form and authority-form are not served inside the mesh
        }
        return Optional.of(new ProxyRequest(request.method().name(), uri, authority, headers,
                ByteBufUtil.getBytes(request.content()), context));
    }

    /** Returns a Netty response to write downstream (HTTP/1.1 framing; the HTTP/2 codec converts it). */
    public static FullHttpResponse toNetty(ProxyResponse response) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        out.headers().add(response.headers());
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        out.trailingHeaders().add(response.trailers());
        return out;
    }

    /** Returns a backend's response as a {@link ProxyResponse}, without hop-by-hop headers. */
    public static ProxyResponse fromNetty(FullHttpResponse response) {
        HttpHeaders headers = new DefaultHttpHeaders();
        Set<String> connectionListed = connectionTokens(response.headers());
        response.headers().forEach(e -> {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!dropped(name) && !connectionListed.contains(name)) {
                headers.add(name, e.getValue());
            }
        });
        HttpHeaders trailers = new DefaultHttpHeaders();
        response.trailingHeaders().forEach(e -> trailers.add(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return new ProxyResponse(response.status().code(), headers, ByteBufUtil.getBytes(response.content()),
                trailers, "-");
    }

    private static boolean dropped(String name) {
        return HOP_BY_HOP.contains(name) || name.startsWith("x-http2-");
    }

    private static Set<String> connectionTokens(HttpHeaders headers) {
        return headers.getAll(HttpHeaderNames.CONNECTION).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(t -> t.trim().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty())
                .collect(java.util.stream.Collectors.toSet());
    }
}
