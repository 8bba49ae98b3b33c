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
 * Splices two plain TCP channels both ways with back-pressure and half-close: each side reads on while the other is
 * writable and pauses while it is not, an EOF becomes a FIN on the other side, and the relay ends when both are
 * closed. Both channels must be on the same event loop, not auto-reading.
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
        Side fromClient = new Side(upstream, fromDownstream);
        Side fromServer = new Side(downstream, fromUpstream);
        fromClient.opposite = fromServer;
        fromServer.opposite = fromClient;
        downstream.pipeline().addLast("tcp-relay", fromClient);
        upstream.pipeline().addLast("tcp-relay", fromServer);
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

    /**
     * Copies what one channel reads to the other, flushing once per read batch and reading on while the other is
     * writable (else parking until it drains); its EOF becomes the other's FIN once the bytes before it were written.
     * Both sides run on the one event loop, so the parking flag needs no synchronization.
     */
    private static final class Side extends ChannelInboundHandlerAdapter {
        private final Channel other;
        private final AtomicLong count;
        private Side opposite;
        private Channel self;
        private boolean parked;

        Side(Channel other, AtomicLong count) {
            this.other = other;
            this.count = count;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            self = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            count.addAndGet(buf.readableBytes());
            other.write(buf).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                    other.close();
                }
            });
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            other.flush();
            if (other.isWritable()) {
                read(ctx.channel());
            } else {
                parked = true;
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // This channel drained: the side writing into it may read again.
            if (ctx.channel().isWritable() && opposite.parked) {
                opposite.parked = false;
                read(opposite.self);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // Shutting the output down fails writes still pending, so it waits for them.
                other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        ctx.close();
                        other.close();
                    } else if (other instanceof DuplexChannel d && !d.isOutputShutdown()) {
                        d.shutdownOutput().addListener(g -> closeIfBothEnded(ctx.channel()));
                    } else {
                        closeIfBothEnded(ctx.channel());
                    }
                });
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        /** Closes both once each direction delivered its EOF as a FIN. */
        private void closeIfBothEnded(Channel channel) {
            if (channel instanceof DuplexChannel a && other instanceof DuplexChannel b
                    && a.isOutputShutdown() && b.isOutputShutdown()) {
                channel.close();
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
