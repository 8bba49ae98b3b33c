package dev.meshctl.nodeagent.proxy;

import dev.meshctl.core.hbone.HboneRelay;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readies each accepted connection of a capture listener: holds its bytes until a relay starts, enforces the
 * listener's connection cap and idle timeout, then hands it over once active.
 */
final class AcceptInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(AcceptInitializer.class);

    private final String listener;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final BiConsumer<SocketChannel, InetSocketAddress> onAccept;
    private final AtomicInteger open = new AtomicInteger();

    AcceptInitializer(String listener, int maxConnections, Duration idleTimeout,
                      BiConsumer<SocketChannel, InetSocketAddress> onAccept) {
        this.listener = listener;
        this.maxConnections = maxConnections;
        this.idleTimeout = idleTimeout;
        this.onAccept = onAccept;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            log.warn("{} listener holds {} connections, its cap; resetting {}", listener, maxConnections,
                    ch.remoteAddress());
            Resets.reset(ch);
            return;
        }
        ch.closeFuture().addListener(f -> open.decrementAndGet());
        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS) {
            @Override
            protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                log.debug("closing {} connection {}: idle for {}", listener, ctx.channel().remoteAddress(), idleTimeout);
                ctx.close();
            }
        });
        HboneRelay.prepare(ch);
        ch.pipeline().addLast("accept", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                ctx.pipeline().remove(this);
                super.channelActive(ctx);
                onAccept.accept(ch, ch.localAddress());
            }
        });
    }

    /** Returns the connections open on this listener. */
    int openConnections() {
        return open.get();
    }
}
