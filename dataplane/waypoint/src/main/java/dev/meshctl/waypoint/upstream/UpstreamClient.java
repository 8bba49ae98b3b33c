package dev.meshctl.waypoint.upstream;

import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneRequest;
import dev.meshctl.core.hbone.HboneStream;
import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends requests to endpoints over HBONE streams ({@code podIP:15008}, {@code :authority} {@code podIP:port}) opened
 * with the waypoint's identity and {@code forwarded: for="<original client>"}, speaking HTTP/1.1 inside them, or
 * HTTP/2 with prior knowledge for {@code http2}/{@code grpc} ports. Tunnels are reused like an HTTP proxy's upstream
 * connections ({@link TunnelCache}): an HTTP/1.1 tunnel carries one request at a time and goes back to the idle set
 * after a keep-alive response; an HTTP/2 tunnel is shared by concurrent requests.
 *
 * <p>Failures become responses: 503 with flag {@code UF} when the tunnel could not be opened, {@code UR} when it
 * was reset before the response ended. Cancelling the returned future resets what carries the request.
 */
public final class UpstreamClient implements AutoCloseable {

    /** Idle HTTP/1.1 tunnels kept per endpoint and client. */
    static final int MAX_IDLE_PER_KEY = 32;

    private final HbonePool pool;
    private final String sourceIdentity;
    private final int hbonePort;
    private final int maxBodyBytes;
    private final Optional<String> baggage;
    private final TunnelCache<Http1Tunnel> http1 = new TunnelCache<>(MAX_IDLE_PER_KEY, Http1Tunnel::usable);
    private final TunnelCache<H2Tunnel> http2 = new TunnelCache<>(0, H2Tunnel::usable);

    /** Creates a client opening streams from {@code sourceIdentity} to endpoints' {@code hbonePort}. */
    public UpstreamClient(HbonePool pool, String sourceIdentity, int hbonePort, int maxBodyBytes) {
        this(pool, sourceIdentity, hbonePort, maxBodyBytes, Optional.empty());
    }

    /**
     * Creates a client opening streams from {@code sourceIdentity} to endpoints' {@code hbonePort}, sending
     * {@code baggage} (the waypoint's own workload names) on each CONNECT.
     */
    public UpstreamClient(HbonePool pool, String sourceIdentity, int hbonePort, int maxBodyBytes,
                          Optional<String> baggage) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.sourceIdentity = Objects.requireNonNull(sourceIdentity, "sourceIdentity");
        this.hbonePort = hbonePort;
        this.maxBodyBytes = maxBodyBytes;
        this.baggage = Objects.requireNonNull(baggage, "baggage");
    }

    /** Returns whether requests to {@code endpoint} go as HTTP/2. */
    public static boolean speaksH2(Endpoint endpoint, ProxyRequest request) {
        String p = endpoint.appProtocol();
        return p.equals("http2") || p.equals("grpc") || p.equals("h2c")
                || request.headers().get(HttpHeaderNames.CONTENT_TYPE, "").startsWith("application/grpc");
    }

    /** Sends {@code request} to {@code endpoint}; never completes exceptionally except by cancellation. */
    public CompletableFuture<ProxyResponse> exchange(Endpoint endpoint, ProxyRequest request) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(request, "request");
        InetSocketAddress hbone = new InetSocketAddress(endpoint.address(), hbonePort);
        TunnelCache.Key key = new TunnelCache.Key(hbone, endpoint.authority(), endpoint.identity(),
                request.context().client().getAddress());
        CompletableFuture<ProxyResponse> result = new CompletableFuture<>();
        boolean h2 = speaksH2(endpoint, request);
        if (h2) {
            Optional<H2Tunnel> shared = http2.shared(key);
            if (shared.isPresent()) {
                shared.get().send(toNetty(request), result);
                return result;
            }
        } else {
            Optional<Http1Tunnel> idle = http1.takeIdle(key);
            if (idle.isPresent()) {
                idle.get().send(toNetty(request), result, t -> giveBack(key, t));
                return result;
            }
        }
        HboneRequest connect = connectRequest(hbone, endpoint, request.context().client(), sourceIdentity, baggage);
        pool.open(connect).whenComplete((stream, e) -> {
            if (e != null) {
                result.complete(ProxyResponse.local(503, "upstream connect error: " + cause(e).getMessage(), "UF"));
                return;
            }
            if (result.isDone()) {
                stream.channel().eventLoop().execute(() -> endOrReset(stream)); // cancelled while it opened
                return;
            }
            stream.channel().eventLoop().execute(() -> opened(key, h2, stream, request, result));
        });
        return result;
    }

    /** Returns the CONNECT to {@code endpoint} at {@code hbone} for {@code client}, from {@code sourceIdentity}. */
    static HboneRequest connectRequest(InetSocketAddress hbone, Endpoint endpoint, InetSocketAddress client,
                                       String sourceIdentity, Optional<String> baggage) {
        return new HboneRequest(hbone, endpoint.authority(), Set.of(endpoint.identity()), sourceIdentity,
                Optional.of(client), baggage);
    }

    private void opened(TunnelCache.Key key, boolean h2, HboneStream stream, ProxyRequest request,
                        CompletableFuture<ProxyResponse> result) {
        if (h2) {
            H2Tunnel mine = H2Tunnel.install(stream.channel(), maxBodyBytes);
            H2Tunnel use = http2.share(key, mine);
            stream.channel().closeFuture().addListener(f -> http2.remove(key, mine));
            if (use != mine) {
                stream.channel().writeAndFlush(StreamBytes.END_STREAM); // another request won the race
            }
            use.send(toNetty(request), result);
        } else {
            Http1Tunnel tunnel = Http1Tunnel.install(stream.channel(), maxBodyBytes);
            stream.channel().closeFuture().addListener(f -> http1.remove(key, tunnel));
            tunnel.send(toNetty(request), result, t -> giveBack(key, t));
        }
    }

    private void giveBack(TunnelCache.Key key, Http1Tunnel tunnel) {
        if (!http1.offerIdle(key, tunnel)) {
            tunnel.end();
        }
    }

    private static void endOrReset(HboneStream stream) {
        if (stream.channel().isActive()) {
            stream.channel().writeAndFlush(StreamBytes.END_STREAM);
        }
    }

    /** Ends every reusable tunnel cleanly. */
    @Override
    public void close() {
        http1.drain().forEach(Http1Tunnel::end);
        http2.drain().forEach(t -> t.channel().writeAndFlush(StreamBytes.END_STREAM));
    }

    private static FullHttpRequest toNetty(ProxyRequest request) {
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                request.uri(), Unpooled.wrappedBuffer(request.body()));
        out.headers().add(request.headers());
        out.headers().set(HttpHeaderNames.HOST, request.authority());
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        return out;
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
