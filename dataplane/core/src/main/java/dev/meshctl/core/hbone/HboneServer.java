package dev.meshctl.core.hbone;

import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.ServerIdentitySelector;
import dev.meshctl.core.tls.TlsIdentity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Terminates HBONE: accepts mutual TLS 1.3 connections on (usually) port 15008 and serves HTTP/2 CONNECT streams,
 * each decided by an {@link InboundHandler} and relayed to the upstream it names.
 *
 * <pre>{@code
 * HboneServer server = HboneServer.builder()
 *     .identities(local -> certificates.identity(workloadAt(local)))
 *     .handler(request -> InboundDecision.connect(podAddress(request)))
 *     .build();
 * InetSocketAddress bound = server.bind(new InetSocketAddress(15008));
 * }</pre>
 */
public final class HboneServer implements AutoCloseable {

    /** Everything the server needs per connection; built by {@link Builder}. */
    record Settings(ServerIdentitySelector identities, Function<TlsIdentity, PeerVerifier> verifiers,
                    InboundHandler handler, Transport transport, Duration connectTimeout,
                    Duration handshakeTimeout, Duration idleTimeout, Duration pingInterval) {
    }

    private final Settings settings;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final boolean transparent;
    private final ChannelGroup channels = new DefaultChannelGroup("hbone-server", GlobalEventExecutor.INSTANCE);

    private HboneServer(Builder b) {
        this.ownsGroup = b.group == null;
        Transport transport = b.group == null ? Transport.preferred() : b.transport;
        this.group = b.group == null ? transport.newGroup(b.threads, "hbone-server") : b.group;
        this.transparent = b.transparent;
        if (transparent && transport != Transport.EPOLL) {
            throw new IllegalStateException("IP_TRANSPARENT listeners need the native epoll transport, which did not "
                    + "load on this machine; check that netty-transport-native-epoll matches the OS and CPU");
        }
        this.settings = new Settings(Objects.requireNonNull(b.identities, "identities"), b.verifiers,
                Objects.requireNonNull(b.handler, "handler"), transport, b.connectTimeout, b.handshakeTimeout,
                b.idleTimeout, b.pingInterval);
    }

    /** Returns a builder with the defaults: connect timeout 5 s, PING every 10 s, idle close after 5 min. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Listens on {@code address} and returns the bound address (useful with port 0). With the transparent option
     * the socket gets {@code IP_TRANSPARENT}, so it accepts TPROXY'd connections whose local address is the
     * original destination.
     */
    public InetSocketAddress bind(InetSocketAddress address) throws IOException, InterruptedException {
        Objects.requireNonNull(address, "address");
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(settings.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ServerConnectionInitializer(settings, channels));
        if (transparent) {
            bootstrap.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        ChannelFuture bound = bootstrap.bind(address).await();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen for HBONE on " + address + ": " + bound.cause().getMessage()
                    + (transparent ? " (IP_TRANSPARENT needs CAP_NET_ADMIN)" : ""), bound.cause());
        }
        Channel listener = bound.channel();
        channels.add(listener);
        return (InetSocketAddress) listener.localAddress();
    }

    /** Returns the number of open channels (listeners and connections). */
    public int openChannels() {
        return channels.size();
    }

    /** Closes the listeners and all connections (GOAWAY first) and, if it owns it, the event loop group. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Configures an {@link HboneServer}. */
    public static final class Builder {
        private ServerIdentitySelector identities;
        private Function<TlsIdentity, PeerVerifier> verifiers = TlsContextCache.pkixVerifiers();
        private InboundHandler handler;
        private EventLoopGroup group;
        private Transport transport;
        private int threads = 0;
        private boolean transparent;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration pingInterval = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Sets how the certificate is chosen from the connection's destination address. Required. */
        public Builder identities(ServerIdentitySelector identities) {
            this.identities = Objects.requireNonNull(identities, "identities");
            return this;
        }

        /** Sets how clients are verified, per served identity; default PKIX against the identity's roots. */
        public Builder peerVerifiers(Function<TlsIdentity, PeerVerifier> verifiers) {
            this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
            return this;
        }

        /** Sets the decision on each CONNECT. Required. */
        public Builder handler(InboundHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Shares an event loop group made by {@code transport}; the caller keeps closing it. */
        public Builder eventLoopGroup(EventLoopGroup group, Transport transport) {
            this.group = Objects.requireNonNull(group, "group");
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Sets the thread count of an owned group (0 = Netty's default). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Binds listeners with {@code IP_TRANSPARENT} (epoll only) to accept TPROXY'd connections. */
        public Builder transparent(boolean transparent) {
            this.transparent = transparent;
            return this;
        }

        /** Sets the upstream connect timeout, after which the stream gets 503. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Sets the TLS handshake timeout. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /** Sets how long a connection without streams stays open. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /** Sets the keepalive PING interval; a PING unanswered for one interval closes the connection. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = positive(interval, "pingInterval");
            return this;
        }

        /** Builds the server; nothing listens until {@link HboneServer#bind}. */
        public HboneServer build() {
            return new HboneServer(this);
        }
    }

    static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
