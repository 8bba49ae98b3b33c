package dev.meshctl.waypoint.upstream;

import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.waypoint.ProxyResponse;
import dev.meshctl.waypoint.http.HttpMessages;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpScheme;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/2 connection (prior knowledge) inside an HBONE stream, shared by concurrent requests: each request is
 * a stream of its own on it. A request cancelled mid-flight resets only its own inner stream.
 */
final class H2Tunnel {

    private final Http2StreamChannel tunnel;
    private final int maxBodyBytes;

    private H2Tunnel(Http2StreamChannel tunnel, int maxBodyBytes) {
        this.tunnel = tunnel;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Installs the HTTP/2 client on an established stream (on its event loop) and returns the tunnel. */
    static H2Tunnel install(Http2StreamChannel tunnel, int maxBodyBytes) {
        tunnel.pipeline().addLast("bytes", new StreamBytes());
        tunnel.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                        .validateHeaders(true).build(),
                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.close(); // no server push
                    }
                }));
        if (tunnel.pipeline().get("hbone-hold") != null) {
            tunnel.pipeline().remove("hbone-hold");
        }
        tunnel.config().setAutoRead(true);
        return new H2Tunnel(tunnel, maxBodyBytes);
    }

    /** Returns whether the connection can take more requests. */
    boolean usable() {
        return tunnel.isActive();
    }

    /** Returns the HBONE stream channel carrying the connection. */
    Http2StreamChannel channel() {
        return tunnel;
    }

    /** Sends {@code out} on a new inner stream and completes {@code result} with its response. */
    void send(FullHttpRequest out, CompletableFuture<ProxyResponse> result) {
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
            Channel stream = (Channel) f.getNow();
            result.whenComplete((r, e) -> stream.close()); // resets the inner stream only if still open
            stream.closeFuture().addListener(c -> result.complete(ProxyResponse.local(503,
                    "upstream connect error or disconnect/reset before headers", "UR")));
            stream.writeAndFlush(out);
        });
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
