package dev.meshctl.waypoint.upstream;

import dev.meshctl.core.hbone.HboneException;
import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneRequest;
import dev.meshctl.core.hbone.HboneStream;
import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import dev.meshctl.waypoint.http.HttpMessages;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpScheme;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends one request to one endpoint over a pooled HBONE stream ({@code podIP:15008}, {@code :authority}
 * {@code podIP:port}) opened with the waypoint's identity and {@code forwarded: for="<original client>"}, then
 * speaks HTTP/1.1, or HTTP/2 with prior knowledge for {@code http2}/{@code grpc} ports, inside it. One HBONE
 * stream per request: streams are cheap on a pooled connection and a reset never leaks into another request.
 *
 * <p>Failures become responses: 503 with flag {@code UF} when the tunnel could not be opened, {@code UR} when it
 * was reset before the response ended. Cancelling the returned future resets the stream.
 */
public final class UpstreamClient {

    private final HbonePool pool;
    private final String sourceIdentity;
    private final int hbonePort;
    private final int maxBodyBytes;

    /** Creates a client opening streams from {@code sourceIdentity} to endpoints' {@code hbonePort}. */
    public UpstreamClient(HbonePool pool, String sourceIdentity, int hbonePort, int maxBodyBytes) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.sourceIdentity = Objects.requireNonNull(sourceIdentity, "sourceIdentity");
        this.hbonePort = hbonePort;
        this.maxBodyBytes = maxBodyBytes;
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
        HboneRequest hbone = new HboneRequest(new InetSocketAddress(endpoint.address(), hbonePort),
                endpoint.authority(), Set.of(endpoint.identity()), sourceIdentity, java.util.Optional.empty(),
                java.util.Optional.empty()).withForwardedFor(request.context().client());
        CompletableFuture<ProxyResponse> result = new CompletableFuture<>();
        pool.open(hbone).whenComplete((stream, e) -> {
            if (e != null) {
                result.complete(ProxyResponse.local(503, "upstream connect error: " + cause(e).getMessage(), "UF"));
                return;
            }
            if (result.isDone()) {
                stream.close(); // cancelled while the tunnel opened
                return;
            }
            result.whenComplete((r, x) -> stream.close());
            stream.channel().eventLoop().execute(() -> send(stream, endpoint, request, result));
        });
        return result;
    }

    private void send(HboneStream stream, Endpoint endpoint, ProxyRequest request,
                      CompletableFuture<ProxyResponse> result) {
        Http2StreamChannel channel = stream.channel();
        channel.closeFuture().addListener(f -> result.complete(ProxyResponse.local(503,
                "upstream connect error or disconnect/reset before headers", "UR")));
        channel.pipeline().addLast("bytes", new StreamBytes());
        FullHttpRequest out = toNetty(request, endpoint);
        if (speaksH2(endpoint, request)) {
            sendH2(channel, out, result);
        } else {
            channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxBodyBytes),
                    new ResponseHandler(result));
            release(channel);
            channel.writeAndFlush(out);
        }
    }

    private void sendH2(Http2StreamChannel tunnel, FullHttpRequest out, CompletableFuture<ProxyResponse> result) {
        tunnel.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                        .validateHeaders(true).build(),
                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.close(); // no server push
                    }
                }));
        release(tunnel);
        out.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), HttpScheme.HTTP.name());
        new Http2StreamChannelBootstrap(tunnel).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                        new HttpObjectAggregator(maxBodyBytes), new ResponseHandler(result));
            }
        }).open().addListener(f -> {
            if (!f.isSuccess()) {
                ReferenceCountUtil.release(out);
                result.complete(ProxyResponse.local(503, "cannot open an HTTP/2 stream upstream", "UR"));
                return;
            }
            ((Channel) f.getNow()).writeAndFlush(out);
        });
    }

    private static void release(Http2StreamChannel channel) {
        if (channel.pipeline().get("hbone-hold") != null) {
            channel.pipeline().remove("hbone-hold");
        }
        channel.config().setAutoRead(true);
    }

    private static FullHttpRequest toNetty(ProxyRequest request, Endpoint endpoint) {
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                request.uri(), Unpooled.wrappedBuffer(request.body()));
        out.headers().add(request.headers());
        out.headers().set(HttpHeaderNames.HOST, request.authority());
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        return out;
    }

    private static Throwable cause(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof HboneException ? c : c;
    }

    /** Completes the exchange with the first full response. */
    private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<ProxyResponse> result;

        ResponseHandler(CompletableFuture<ProxyResponse> result) {
            this.result = result;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            result.complete(HttpMessages.fromNetty(response));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(ProxyResponse.local(503, "upstream protocol error: " + cause.getMessage(), "UR"));
            ctx.close();
        }
    }
}
