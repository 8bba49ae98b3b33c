package dev.meshctl.core.hbone;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the answer to an outbound CONNECT: completes with an {@link HboneStream} on 200 (and steps aside),
 * fails with an {@link HboneException} carrying the status otherwise, or on reset or timeout.
 */
final class ConnectResponseHandler extends ChannelInboundHandlerAdapter {

    private final HboneRequest request;
    private final CompletableFuture<HboneStream> result;
    private final Duration timeout;
    private ScheduledFuture<?> timer;

    ConnectResponseHandler(HboneRequest request, CompletableFuture<HboneStream> result, Duration timeout) {
        this.request = request;
        this.result = result;
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> fail(ctx, new HboneException(HboneException.NO_STATUS,
                "no answer to CONNECT " + request.authority() + " from " + request.destination() + " within "
                        + timeout.toMillis() + " ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Http2HeadersFrame headers)) {
            ReferenceCountUtil.release(msg);
            fail(ctx, new HboneException(HboneException.NO_STATUS, "HBONE server " + request.destination()
                    + " sent data before answering CONNECT " + request.authority()));
            return;
        }
        CharSequence status = headers.headers().status();
        if (status != null && "200".contentEquals(status) && !headers.isEndStream()) {
            timer.cancel(false);
            ctx.pipeline().remove(this);
            if (!result.complete(new HboneStream((Http2StreamChannel) ctx.channel(), request))) {
                ctx.close();
            }
            return;
        }
        int code = parse(status);
        fail(ctx, new HboneException(code, "CONNECT " + request.authority() + " via " + request.destination()
                + " was answered " + status + describe(code)));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2ResetFrame reset) {
            fail(ctx, new HboneException(HboneException.NO_STATUS, "CONNECT " + request.authority() + " via "
                    + request.destination() + " was reset by the server (" + reset.errorCode() + ")"));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new HboneException(HboneException.NO_STATUS, "HBONE stream to " + request.destination()
                + " closed before the CONNECT was answered"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, new HboneException("HBONE stream to " + request.destination() + " failed", cause));
    }

    private void fail(ChannelHandlerContext ctx, HboneException e) {
        if (timer != null) {
            timer.cancel(false);
        }
        result.completeExceptionally(e);
        ctx.close();
    }

    private static int parse(CharSequence status) {
        try {
            return status == null ? HboneException.NO_STATUS : Integer.parseInt(status.toString());
        } catch (NumberFormatException e) {
            return HboneException.NO_STATUS;
        }
    }

    private static String describe(int status) {
        return switch (status) {
            case 400 -> " (the target does not match the destination)";
            case 401 -> " (denied by the destination's authorization policy)";
            case 503 -> " (the destination could not connect to the workload)";
            default -> "";
        };
    }
}
