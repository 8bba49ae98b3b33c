package dev.meshctl.core.hbone;

import dev.meshctl.core.tls.MeshTlsContexts;
import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.SpiffeTrustManager;
import dev.meshctl.core.tls.TlsIdentity;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up one accepted HBONE connection: TLS with the identity chosen by the destination address, then, once ALPN
 * settled on {@code h2}, the hardened HTTP/2 codec, keepalive and one {@link ConnectStreamHandler} per stream.
 */
final class ServerConnectionInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(ServerConnectionInitializer.class);

    /** The verified SPIFFE id of the client, set on the connection after the handshake. */
    static final AttributeKey<String> PEER_IDENTITY = AttributeKey.valueOf("dev.meshctl.hbone.peer-identity");

    private final HboneServer.Settings settings;
    private final ChannelGroup connections;
    private final TlsContextCache<TlsIdentity> contexts = new TlsContextCache<>();

    ServerConnectionInitializer(HboneServer.Settings settings, ChannelGroup connections) {
        this.settings = settings;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        InetSocketAddress local = ch.localAddress();
        Optional<TlsIdentity> identity = settings.identities().select(local);
        if (identity.isEmpty()) {
            log.info("refusing HBONE connection from {} to {}: no local workload identity serves that address",
                    ch.remoteAddress(), local);
            ch.close();
            return;
        }
        PeerVerifier verifier = settings.verifiers().apply(identity.get());
        SslContext context = contexts.get(identity.get(), id -> serverContext(id, verifier));
        SslHandler ssl = context.newHandler(ch.alloc());
        ssl.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        connections.add(ch);
        ch.pipeline().addLast("tls", ssl).addLast("alpn", new AlpnGate(verifier));
    }

    private static SslContext serverContext(TlsIdentity identity, PeerVerifier verifier) {
        try {
            return MeshTlsContexts.server(identity, verifier);
        } catch (SSLException e) {
            throw new UncheckedIOException("cannot build the TLS context of " + identity.spiffeId(), e);
        }
    }

    /** Installs HTTP/2 once the handshake negotiated {@code h2}; closes anything else. */
    private final class AlpnGate extends ApplicationProtocolNegotiationHandler {
        private final PeerVerifier verifier;

        AlpnGate(PeerVerifier verifier) {
            super("none");
            this.verifier = verifier;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (!MeshTlsContexts.ALPN_H2.equals(protocol)) {
                log.info("refusing HBONE connection from {}: ALPN protocol is {}, only h2 is spoken on this port",
                        ctx.channel().remoteAddress(), protocol);
                ctx.close();
                return;
            }
            SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
            Optional<String> peer = peerIdentity(session, verifier);
            if (peer.isEmpty()) {
                ctx.close();
                return;
            }
            ctx.channel().attr(PEER_IDENTITY).set(peer.get());
            Http2FrameCodec codec = Http2Hardening.server();
            int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
            ctx.pipeline().addLast("h2", codec)
                    .addLast("keepalive", new ConnectionKeepalive(settings.pingInterval(), settings.idleTimeout(),
                            () -> codec.connection().numActiveStreams() == 0))
                    .addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                        @Override
                        protected void initChannel(Http2StreamChannel stream) {
                            stream.config().setAutoRead(false);
                            stream.pipeline().addLast(new ConnectStreamHandler(settings.handler(),
                                    settings.transport(), timeoutMillis));
                            HboneRelay.holdStream(stream);
                            stream.read();
                        }
                    }));
            Http2Hardening.widenConnectionWindow(ctx.channel());
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            log.info("HBONE TLS handshake from {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        }
    }

    /** Returns the id verified during the handshake, verifying again if it was not recorded (e.g. OpenSSL). */
    static Optional<String> peerIdentity(SSLSession session, PeerVerifier verifier) {
        Optional<String> recorded = SpiffeTrustManager.peerIdentity(session);
        if (recorded.isPresent()) {
            return recorded;
        }
        try {
            Certificate[] certs = session.getPeerCertificates();
            List<X509Certificate> chain = Arrays.stream(certs).map(X509Certificate.class::cast).toList();
            return Optional.of(verifier.verify(chain));
        } catch (SSLException | CertificateException | ClassCastException e) {
            log.info("refusing HBONE peer: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
