package dev.meshctl.nodeagent.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Splices two plain TCP channels both ways with back-pressure and half-close: each side reads its next chunk only
 * after the previous one was written to the other, an EOF becomes a FIN on the other side, and the relay ends when
 * both are closed. Both channels must be on the same event loop, not auto-reading.
 */
public final class TcpRelay {

    /** The name of the hold handler {@code HboneRelay.prepare} installs; removing it replays what it held. */
    private static final String HOLD = "hbone-hold";

    private final Channel downstream;
    private final Channel upstream;
    private final AtomicLong fromDownstream = new AtomicLong();
    private final AtomicLong fromUpstream = new AtomicLong();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private TcpRelay(Channel downstream, Channel upstream) {
        this.downstream = downstream;
        this.upstream = upstream;
    }

    /** Starts relaying between the client side {@code downstream} and the server side {@code upstream}. */
    public static TcpRelay splice(Channel downstream, Channel upstream) {
        Objects.requireNonNull(downstream, "downstream");
        Objects.requireNonNull(upstream, "upstream");
        TcpRelay relay = new TcpRelay(downstream, upstream);
        downstream.closeFuture().addListener(f -> upstream.closeFuture().addListener(g -> relay.done.complete(null)));
        downstream.eventLoop().execute(relay::start);
        return relay;
    }

    private void start() {
        downstream.pipeline().addLast("tcp-relay", new Side(upstream, fromDownstream));
        upstream.pipeline().addLast("tcp-relay", new Side(downstream, fromUpstream));
        for (Channel ch : new Channel[] {downstream, upstream}) {
            if (ch.pipeline().get(HOLD) != null) {
                ch.pipeline().remove(HOLD);
            }
        }
        if (!downstream.isActive() || !upstream.isActive()) {
            downstream.close();
            upstream.close();
            return;
        }
        read(downstream);
        read(upstream);
    }

    /** Returns the bytes read from the client side so far. */
    public long bytesFromDownstream() {
        return fromDownstream.get();
    }

    /** Returns the bytes read from the server side so far. */
    public long bytesFromUpstream() {
        return fromUpstream.get();
    }

    /** Returns a future completed once both channels are closed. */
    public CompletableFuture<Void> completion() {
        return done;
    }

    /** Resets both connections. */
    public void reset() {
        Resets.reset(downstream);
        Resets.reset(upstream);
    }

    private static void read(Channel ch) {
        if (!(ch instanceof DuplexChannel d && d.isInputShutdown())) {
            ch.read();
        }
    }

    /** Copies what one channel reads to the other; its EOF becomes the other's FIN. */
    private static final class Side extends ChannelInboundHandlerAdapter {
        private final Channel other;
        private final AtomicLong count;

        Side(Channel other, AtomicLong count) {
            this.other = other;
            this.count = count;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                read(ctx.channel());
                return;
            }
            count.addAndGet(buf.readableBytes());
            other.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    read(ctx.channel());
                } else {
                    ctx.close();
                    other.close();
                }
            });
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                if (other instanceof DuplexChannel d && !d.isOutputShutdown()) {
                    d.shutdownOutput();
                }
                closeIfBothEnded(ctx.channel());
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void closeIfBothEnded(Channel self) {
            if (self instanceof DuplexChannel a && other instanceof DuplexChannel b
                    && a.isInputShutdown() && b.isInputShutdown()) {
                self.close();
                other.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // Flush what is queued, then close: the peer is gone both ways.
            if (other.isActive()) {
                other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            other.close();
        }
    }
}
