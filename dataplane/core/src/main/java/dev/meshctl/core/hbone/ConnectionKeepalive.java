package dev.meshctl.core.hbone;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends HTTP/2 PINGs on a connection, closes it when a PING goes unanswered for a whole interval, and closes it
 * (with GOAWAY) once it has carried no stream for the idle timeout.
 *
 * <p>Sits between the frame codec and the multiplexer, so it sees connection-level frames and errors.
 */
final class ConnectionKeepalive extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ConnectionKeepalive.class);

    /** Tells whether the connection is idle and lets it veto retirement. */
    interface IdleGate {
        /** Returns true when no stream is open or reserved. */
        boolean isIdle();

        /** Returns true when the connection may close now; called only after {@link #isIdle()} held long enough. */
        default boolean retire() {
            return isIdle();
        }
    }

    private final long pingNanos;
    private final long idleNanos;
    private final IdleGate gate;
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> idleTask;
    private long outstandingPing = -1;
    private long idleTicks;
    private long idlePeriodNanos;

    ConnectionKeepalive(Duration pingInterval, Duration idleTimeout, IdleGate gate) {
        this.pingNanos = positive(pingInterval, "pingInterval");
        this.idleNanos = positive(idleTimeout, "idleTimeout");
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2PingFrame ping && ping.ack()) {
            if (ping.content() == outstandingPing) {
                outstandingPing = -1;
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException) {
            ctx.fireExceptionCaught(cause); // the multiplexer hands it to the stream
            return;
        }
        if (cause instanceof Http2Exception) {
            // The codec answers with GOAWAY carrying the right error code (e.g. ENHANCE_YOUR_CALM) and closes.
            log.info("HBONE connection with {} broke the HTTP/2 rules: {}", ctx.channel().remoteAddress(),
                    cause.getMessage());
            return;
        }
        log.info("closing HBONE connection with {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void start(ChannelHandlerContext ctx) {
        if (pingTask != null) {
            return;
        }
        pingTask = ctx.executor().scheduleAtFixedRate(() -> ping(ctx), pingNanos, pingNanos, TimeUnit.NANOSECONDS);
        idlePeriodNanos = Math.max(idleNanos / 4, TimeUnit.MILLISECONDS.toNanos(10));
        idleTask = ctx.executor().scheduleAtFixedRate(() -> checkIdle(ctx), idlePeriodNanos, idlePeriodNanos,
                TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (pingTask != null) {
            pingTask.cancel(false);
            idleTask.cancel(false);
        }
    }

    private void ping(ChannelHandlerContext ctx) {
        if (outstandingPing != -1) {
            log.info("closing HBONE connection to {}: no PING answer within {} ms; the peer proxy is stuck or the "
                    + "network path is broken", ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(pingNanos));
            ctx.close();
            return;
        }
        outstandingPing = System.nanoTime();
        ctx.writeAndFlush(new DefaultHttp2PingFrame(outstandingPing));
    }

    private void checkIdle(ChannelHandlerContext ctx) {
        // Counts ticks rather than reading a clock: the period is fixed, and tests can drive time.
        if (!gate.isIdle()) {
            idleTicks = 0;
            return;
        }
        idleTicks++;
        if ((idleTicks - 1) * idlePeriodNanos >= idleNanos && gate.retire()) {
            log.debug("closing idle HBONE connection to {}", ctx.channel().remoteAddress());
            ctx.close(); // the HTTP/2 codec sends GOAWAY first
        }
    }

    private static long positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d.toNanos();
    }
}
