package dev.meshctl.waypoint.upstream;

import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneRequest;
import dev.meshctl.core.hbone.HboneStream;
import dev.meshctl.core.hbone.StreamBytes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a non-HTTP tunnel to one endpoint over a new HBONE stream (waypoint identity, {@code forwarded} client),
 * byte for byte both ways, with back-pressure; an end of input becomes END_STREAM on the other side.
 * Both tunnel channels must carry {@link StreamBytes}.
 */
public final class TcpForwarder {

    private static final Logger log = LoggerFactory.getLogger(TcpForwarder.class);

    private final HbonePool pool;
    private final String sourceIdentity;
    private final int hbonePort;
    private final Optional<String> baggage;

    /** Creates a forwarder opening streams from {@code sourceIdentity} to endpoints' {@code hbonePort}. */
    public TcpForwarder(HbonePool pool, String sourceIdentity, int hbonePort) {
        this(pool, sourceIdentity, hbonePort, Optional.empty());
    }

    /** Creates a forwarder that also sends {@code baggage} (the waypoint's own workload names) on each CONNECT. */
    public TcpForwarder(HbonePool pool, String sourceIdentity, int hbonePort, Optional<String> baggage) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.sourceIdentity = Objects.requireNonNull(sourceIdentity, "sourceIdentity");
        this.hbonePort = hbonePort;
        this.baggage = Objects.requireNonNull(baggage, "baggage");
    }

    /** Relays {@code downstream} (auto-read off, not yet read further) to {@code endpoint}, or closes it. */
    public void forward(Channel downstream, Optional<Endpoint> endpoint, InetSocketAddress client) {
        if (endpoint.isEmpty()) {
            log.info("closing TCP tunnel from {}: no healthy endpoint", client);
            downstream.close();
            return;
        }
        Endpoint e = endpoint.get();
        Buffer buffer = new Buffer();
        downstream.pipeline().addLast("tcp-buffer", buffer);
        HboneRequest request = new HboneRequest(new InetSocketAddress(e.address(), hbonePort), e.authority(),
                Set.of(e.identity()), sourceIdentity, Optional.of(client), baggage);
        pool.open(request).whenComplete((stream, err) -> downstream.eventLoop().execute(() -> {
            if (err != null) {
                log.info("TCP tunnel from {} to {} failed: {}", client, e.authority(), err.getMessage());
                downstream.close();
                return;
            }
            splice(downstream, buffer, stream);
        }));
        downstream.read();
    }

    private static void splice(Channel downstream, Buffer buffer, HboneStream stream) {
        Channel up = stream.channel();
        if (!downstream.isActive()) {
            up.close();
            return;
        }
        up.pipeline().addLast("bytes", new StreamBytes()).addLast("relay", new Relay(downstream));
        downstream.pipeline().addLast("relay", new Relay(up));
        up.closeFuture().addListener(f -> downstream.close());
        downstream.closeFuture().addListener(f -> up.close());
        if (up.pipeline().get("hbone-hold") != null) {
            up.pipeline().remove("hbone-hold");
        }
        downstream.pipeline().remove(buffer); // replays what arrived meanwhile into the relay
        up.read();
        downstream.read();
    }

    /** Keeps bytes until the upstream stream is open. */
    private static final class Buffer extends ChannelInboundHandlerAdapter {
        private final ArrayDeque<Object> held = new ArrayDeque<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            held.add(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                held.add(evt);
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            Object o;
            while ((o = held.poll()) != null) {
                if (o instanceof ChannelInputShutdownEvent) {
                    ctx.fireUserEventTriggered(o);
                } else {
                    ctx.fireChannelRead(o);
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            ctx.fireChannelInactive();
        }
    }

    /** Copies bytes to {@code peer}, reading more only after each write succeeded. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                ctx.read();
                return;
            }
            peer.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    ctx.read();
                } else {
                    ctx.close();
                    peer.close();
                }
            });
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                peer.writeAndFlush(StreamBytes.END_STREAM);
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            peer.close();
        }
    }
}
