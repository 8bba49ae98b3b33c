package dev.meshctl.core.hbone;

import dev.meshctl.core.tls.CertificateSource;
import dev.meshctl.core.tls.MeshTlsContexts;
import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.TlsIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * Opens HBONE connections: TCP to {@code ip:15008}, mutual TLS 1.3 with the source identity's current certificate,
 * a check that the server proves one of the expected identities, then HTTP/2. Pooling is {@link HbonePool}'s job.
 */
public final class HboneClient implements AutoCloseable {

    private record ContextKey(TlsIdentity identity, Set<String> expected) {
    }

    private final CertificateSource certificates;
    private final Function<TlsIdentity, PeerVerifier> verifiers;
    private final EventLoopGroup group;
    private final Transport transport;
    private final boolean ownsGroup;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final Duration streamTimeout;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private final int maxStreams;
    private final boolean transparent;
    private final TlsContextCache<ContextKey> contexts = new TlsContextCache<>();

    private HboneClient(Builder b) {
        this.certificates = Objects.requireNonNull(b.certificates, "certificates");
        this.verifiers = b.verifiers;
        this.ownsGroup = b.group == null;
        this.transport = b.group == null ? Transport.preferred() : b.transport;
        this.group = b.group == null ? transport.newGroup(b.threads, "hbone-client") : b.group;
        this.connectTimeout = b.connectTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.streamTimeout = b.streamTimeout;
        this.pingInterval = b.pingInterval;
        this.idleTimeout = b.idleTimeout;
        this.maxStreams = b.maxStreams;
        this.transparent = b.transparent;
        if (transparent && transport != Transport.EPOLL) {
            throw new IllegalStateException("binding HBONE connections to captured pod addresses needs the native "
                    + "epoll transport (IP_TRANSPARENT), which did not load; check netty-transport-native-epoll");
        }
    }

    /** Returns a builder with the defaults: connect 5 s, stream answer 15 s, PING 10 s, idle 5 min, 100 streams. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the most streams put on one connection. */
    public int maxStreamsPerConnection() {
        return maxStreams;
    }

    /**
     * Starts a connection to {@code destination} as {@code sourceIdentity}, accepting only a server proving one of
     * {@code expectedServers}. The returned connection opens streams once ready; failures show in its streams.
     */
    public HboneConnection connect(InetSocketAddress destination, String sourceIdentity, Set<String> expectedServers) {
        return connect(destination, Optional.empty(), sourceIdentity, expectedServers);
    }

    /**
     * Starts a connection as {@link #connect(InetSocketAddress, String, Set)} does, with its TCP socket bound to
     * {@code sourceAddress} when present (port chosen by the host). Binding an address that is not local (a captured
     * pod's IP) needs a {@linkplain Builder#transparent transparent} client.
     */
    public HboneConnection connect(InetSocketAddress destination, Optional<InetAddress> sourceAddress,
                                   String sourceIdentity, Set<String> expectedServers) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(sourceIdentity, "sourceIdentity");
        Objects.requireNonNull(expectedServers, "expectedServers");
        HboneConnection connection = new HboneConnection(destination, maxStreams, streamTimeout);
        Optional<TlsIdentity> identity = certificates.identity(sourceIdentity);
        if (identity.isEmpty()) {
            connection.failed(new HboneException(HboneException.NO_STATUS, "no certificate for " + sourceIdentity
                    + " yet; the node agent fetches it from the CA when the workload is scheduled here"));
            return connection;
        }
        SslContext context;
        try {
            context = contexts.get(new ContextKey(identity.get(), Set.copyOf(expectedServers)),
                    k -> clientContext(k, verifiers.apply(k.identity())));
        } catch (UncheckedIOException e) {
            connection.failed(new HboneException(e.getMessage(), e.getCause()));
            return connection;
        }
        Bootstrap bootstrap = new Bootstrap();
        if (sourceAddress.isPresent()) {
            bootstrap.localAddress(new InetSocketAddress(sourceAddress.get(), 0));
            if (transparent) {
                bootstrap.option(EpollChannelOption.IP_TRANSPARENT, true);
            }
        }
        bootstrap
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // No peer host: no SNI, no hostname check, no cached session to resume.
                        SslHandler ssl = context.newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
                        // Fails the connection with the TLS reason before the close that follows it.
                        ssl.handshakeFuture().addListener(h -> {
                            if (!h.isSuccess()) {
                                connection.failed(new HboneException("TLS handshake with HBONE server "
                                        + destination + " failed: " + h.cause().getMessage(), h.cause()));
                            }
                        });
                        ch.pipeline().addLast("tls", ssl).addLast("alpn", new AlpnGate(connection));
                    }
                })
                .connect(destination)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        connection.failed(new HboneException("cannot connect to " + destination
                                + sourceAddress.map(a -> " from " + a.getHostAddress()).orElse("") + ": "
                                + f.cause().getMessage() + "; check that HBONE port " + destination.getPort()
                                + " is reachable (a NetworkPolicy or firewall may block it)", f.cause()));
                    } else {
                        f.channel().closeFuture().addListener(c -> connection.failed(new HboneException(
                                HboneException.NO_STATUS, "HBONE connection to " + destination + " closed during setup")));
                    }
                });
        return connection;
    }

    /** Shuts down the event loop group if this client created it. */
    @Override
    public void close() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static SslContext clientContext(ContextKey key, PeerVerifier verifier) {
        try {
            return MeshTlsContexts.client(key.identity(), verifier, key.expected());
        } catch (SSLException e) {
            throw new UncheckedIOException("cannot build the TLS context of " + key.identity().spiffeId(), e);
        }
    }

    /** Installs HTTP/2 once ALPN chose {@code h2}; fails the connection otherwise. */
    private final class AlpnGate extends ApplicationProtocolNegotiationHandler {
        private final HboneConnection connection;

        AlpnGate(HboneConnection connection) {
            super("none");
            this.connection = connection;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (!MeshTlsContexts.ALPN_H2.equals(protocol)) {
                connection.failed(new HboneException(HboneException.NO_STATUS, "HBONE server "
                        + connection.destination() + " negotiated ALPN " + protocol + " instead of h2"));
                ctx.close();
                return;
            }
            connection.established(ctx.channel(), gate -> new ConnectionKeepalive(pingInterval, idleTimeout, gate));
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            connection.failed(new HboneException("TLS handshake with HBONE server " + connection.destination()
                    + " failed: " + cause.getMessage(), cause));
            ctx.close();
        }
    }

    /** Configures an {@link HboneClient}. */
    public static final class Builder {
        private CertificateSource certificates;
        private Function<TlsIdentity, PeerVerifier> verifiers = TlsContextCache.pkixVerifiers();
        private EventLoopGroup group;
        private Transport transport;
        private int threads;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration streamTimeout = Duration.ofSeconds(15);
        private Duration pingInterval = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private int maxStreams = Http2Hardening.MAX_CONCURRENT_STREAMS;
        private boolean transparent;

        private Builder() {
        }

        /** Sets {@code IP_TRANSPARENT} on bound connections so they may use a non-local source IP (epoll only). */
        public Builder transparent(boolean transparent) {
            this.transparent = transparent;
            return this;
        }

        /** Sets where the source identities' certificates come from. Required. */
        public Builder certificates(CertificateSource certificates) {
            this.certificates = Objects.requireNonNull(certificates, "certificates");
            return this;
        }

        /** Sets how servers are verified, per source identity; default PKIX against the identity's roots. */
        public Builder peerVerifiers(Function<TlsIdentity, PeerVerifier> verifiers) {
            this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
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

        /** Sets the TCP connect timeout to the HBONE port. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = HboneServer.positive(timeout, "connectTimeout");
            return this;
        }

        /** Sets the TLS handshake timeout. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = HboneServer.positive(timeout, "handshakeTimeout");
            return this;
        }

        /** Sets how long to wait for the CONNECT answer (the server first connects upstream). */
        public Builder streamTimeout(Duration timeout) {
            this.streamTimeout = HboneServer.positive(timeout, "streamTimeout");
            return this;
        }

        /** Sets the keepalive PING interval. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = HboneServer.positive(interval, "pingInterval");
            return this;
        }

        /** Sets how long a connection without streams is kept. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = HboneServer.positive(timeout, "idleTimeout");
            return this;
        }

        /** Sets the most streams per connection (further streams open another connection). */
        public Builder maxStreamsPerConnection(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxStreamsPerConnection must be at least 1, got " + max);
            }
            this.maxStreams = max;
            return this;
        }

        /** Builds the client. */
        public HboneClient build() {
            return new HboneClient(this);
        }
    }
}
