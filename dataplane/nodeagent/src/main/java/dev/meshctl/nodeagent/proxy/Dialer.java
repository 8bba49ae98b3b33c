package dev.meshctl.nodeagent.proxy;

import dev.meshctl.core.hbone.HboneRelay;
import dev.meshctl.core.hbone.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Opens plain TCP connections for relays: on the caller's event loop, not reading until the relay starts, with a
 * connect timeout, optionally from a spoofed source IP ({@code IP_TRANSPARENT}).
 */
public final class Dialer {

    private final Transport transport;
    private final Duration connectTimeout;
    private final boolean transparent;
    private final UnaryOperator<InetSocketAddress> dialAddresses;

    /** Creates a dialer; {@code transparent} allows binding non-local source IPs (epoll and CAP_NET_ADMIN). */
    public Dialer(Transport transport, Duration connectTimeout, boolean transparent,
                  UnaryOperator<InetSocketAddress> dialAddresses) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.transparent = transparent;
        this.dialAddresses = Objects.requireNonNull(dialAddresses, "dialAddresses");
    }

    /** Connects to {@code target} on {@code loop}, from {@code source} when present. */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress target, Optional<InetAddress> source) {
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Holds what arrives before the relay starts (epoll reads on a FIN even with auto-read off).
                        HboneRelay.prepare(ch);
                    }
                });
        if (source.isPresent()) {
            b.localAddress(new InetSocketAddress(source.get(), 0));
            if (transparent) {
                b.option(EpollChannelOption.IP_TRANSPARENT, true);
            }
        }
        return b.connect(dialAddresses.apply(target));
    }

    /** Returns whether sources can be spoofed (any IP may be bound). */
    public boolean transparent() {
        return transparent;
    }
}
