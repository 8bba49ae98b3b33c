package dev.meshctl.waypoint.http;

import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.waypoint.HttpService;
import dev.meshctl.waypoint.ProxyRequest;
import dev.meshctl.waypoint.ProxyResponse;
import dev.meshctl.waypoint.RequestContext;
import dev.meshctl.waypoint.telemetry.RequestTelemetry;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves each aggregated request on a downstream HTTP/1.1 connection or HTTP/2 connection through the pipeline and
 * writes its answer. On HTTP/1.1 it stops reading while a request is in flight, so pipelined requests are answered
 * in order; on HTTP/2 requests run concurrently and each answer carries its request's stream id.
 *
 * <p>The tunnel ends cleanly (END_STREAM) once the client ended its side and every answer is written, or after the
 * idle timeout with nothing in flight, so a client's closed connection never leaves a stream behind.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
    private static final CharSequence STREAM_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text();

    private final HttpService pipeline;
    private final RequestContext context;
    private final RequestTelemetry telemetry;
    private final Protocol protocol;
    private int inFlight; // event loop only
    private boolean inputEnded;
    private boolean ended;

    RequestHandler(HttpService pipeline, RequestContext context, RequestTelemetry telemetry, Protocol protocol) {
        this.pipeline = pipeline;
        this.context = context;
        this.telemetry = telemetry;
        this.protocol = protocol;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        long start = System.nanoTime();
        boolean keepAlive = protocol == Protocol.HTTP2 || HttpUtil.isKeepAlive(msg);
        String streamId = msg.headers().get(STREAM_ID);
        if (msg.decoderResult().isFailure()) {
            write(ctx, ProxyResponse.local(400, "bad request", "DPE"), false, streamId);
            return;
        }
        Optional<ProxyRequest> request = HttpMessages.fromNetty(msg, protocol == Protocol.HTTP2, context);
        if (request.isEmpty()) {
            write(ctx, ProxyResponse.local(400, "missing or ambiguous Host / :authority", "DPE"), false, streamId);
            return;
        }
        if (protocol == Protocol.HTTP1) {
            ctx.channel().config().setAutoRead(false);
        }
        inFlight++;
        pipeline.serve(request.get()).whenComplete((r, e) -> ctx.executor().execute(() -> {
            ProxyResponse response = r;
            if (e != null || r == null) {
                log.error("BUG: request pipeline failed on {} {}", request.get().method(), request.get().uri(), e);
                response = ProxyResponse.local(500, "internal error", "-");
            }
            try {
                telemetry.record(request.get(), response, System.nanoTime() - start, protocol.label());
            } catch (RuntimeException t) {
                log.warn("cannot record telemetry for {}", request.get().uri(), t);
            }
            write(ctx, response, keepAlive, streamId);
            inFlight--;
            if (protocol == Protocol.HTTP1 && keepAlive) {
                ctx.channel().config().setAutoRead(true);
            }
            endIfDone(ctx);
        }));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded = true; // the client closed its connection: answer what is in flight, then end
            endIfDone(ctx);
        } else if (evt instanceof IdleStateEvent && inFlight == 0) {
            inputEnded = true;
            endIfDone(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void endIfDone(ChannelHandlerContext ctx) {
        if (inputEnded && inFlight == 0 && !ended && ctx.channel().isActive()) {
            ended = true;
            ctx.writeAndFlush(StreamBytes.END_STREAM);
        }
    }

    private void write(ChannelHandlerContext ctx, ProxyResponse response, boolean keepAlive, String streamId) {
        FullHttpResponse out = HttpMessages.toNetty(response);
        if (streamId != null && protocol == Protocol.HTTP2) {
            out.headers().set(STREAM_ID, streamId); // the HTTP/2 codec writes the answer on this stream
        }
        if (protocol == Protocol.HTTP1 && !keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(out);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2Exception.StreamException) {
            // One stream ended (a client's RST_STREAM, say); the connection's other streams go on.
            log.debug("downstream {} stream failed: {}", ctx.channel(), cause.getMessage());
            return;
        }
        log.debug("downstream {} failed", ctx.channel(), cause);
        ctx.close();
    }
}
