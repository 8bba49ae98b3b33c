package dev.meshctl.waypoint.upstream;

import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.waypoint.ProxyResponse;
import dev.meshctl.waypoint.http.HttpMessages;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One HTTP/1.1 keep-alive connection inside an HBONE stream: one request at a time. After a complete response it
 * offers itself for reuse; when the response or request ends the connection, it ends the stream with END_STREAM
 * (a clean close, not a reset). It resets the stream only when a request is cancelled mid-flight.
 */
final class Http1Tunnel extends SimpleChannelInboundHandler<FullHttpResponse> {

    private final Http2StreamChannel channel;
    private CompletableFuture<ProxyResponse> current; // event loop only
    private Consumer<Http1Tunnel> whenReusable;
    private boolean reusable;
    private volatile boolean inputEnded;

    private Http1Tunnel(Http2StreamChannel channel) {
        this.channel = channel;
    }

    /** Installs HTTP/1.1 on an established stream (on its event loop) and returns the tunnel. */
    static Http1Tunnel install(Http2StreamChannel channel, int maxBodyBytes) {
        Http1Tunnel t = new Http1Tunnel(channel);
        channel.pipeline().addLast("bytes", new StreamBytes());
        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxBodyBytes), t);
        if (channel.pipeline().get("hbone-hold") != null) {
            channel.pipeline().remove("hbone-hold");
        }
        channel.config().setAutoRead(true);
        return t;
    }

    /** Returns whether the tunnel can take a request. */
    boolean usable() {
        return channel.isActive() && !inputEnded;
    }

    /** Returns the stream channel. */
    Http2StreamChannel channel() {
        return channel;
    }

    /**
     * Sends {@code out} (on the event loop) and completes {@code result} with its response; {@code whenReusable}
     * gets the tunnel back when the connection may carry another request.
     */
    void send(FullHttpRequest out, CompletableFuture<ProxyResponse> result, Consumer<Http1Tunnel> whenReusable) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> send(out, result, whenReusable));
            return;
        }
        if (current != null || !usable()) {
            ReferenceCountUtil.release(out);
            result.complete(ProxyResponse.local(503, "upstream connect error or disconnect/reset before headers",
                    "UR"));
            return;
        }
        current = result;
        this.whenReusable = whenReusable;
        this.reusable = HttpUtil.isKeepAlive(out);
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                channel.eventLoop().execute(() -> {
                    if (current == result) { // cancelled mid-flight: the connection is in an unknown state
                        current = null;
                        channel.close();
                    }
                });
            }
        });
        channel.writeAndFlush(out).addListener(f -> {
            if (!f.isSuccess()) {
                fail("upstream connect error or disconnect/reset before headers");
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        CompletableFuture<ProxyResponse> r = current;
        current = null;
        if (r == null) {
            ctx.close(); // a response nobody asked for: the connection cannot be trusted any more
            return;
        }
        boolean again = reusable && HttpUtil.isKeepAlive(response) && response.decoderResult().isSuccess();
        ProxyResponse answer = HttpMessages.fromNetty(response);
        // Back in the idle set before the answer goes out, so the client's next request finds this tunnel.
        if (again && usable()) {
            whenReusable.accept(this);
        } else {
            end();
        }
        r.complete(answer);
    }

    /** Ends the stream cleanly (END_STREAM); the destination closes its side in turn. */
    void end() {
        if (channel.isActive()) {
            channel.writeAndFlush(StreamBytes.END_STREAM);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The backend closed its connection (the codec before this handler finished any response it ended):
            // nothing more can come, so a request still waiting fails and the stream ends on this side too.
            inputEnded = true;
            fail("upstream connection closed before the response");
            end();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("upstream connect error or disconnect/reset before headers");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail("upstream protocol error: " + cause.getMessage());
        ctx.close();
    }

    private void fail(String message) {
        CompletableFuture<ProxyResponse> r = current;
        current = null;
        if (r != null) {
            r.complete(ProxyResponse.local(503, message, "UR"));
        }
    }
}
