package dev.meshctl.core.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Builds HBONE's Netty {@link SslContext}s: TLS 1.3 only, AES-GCM suites, ALPN {@code h2}, client certificates
 * required, peers checked by a {@link PeerVerifier}, no session resumption and no SNI.
 *
 * <p>Resumption is avoided by never giving the engine a peer host (so clients find no cached session to offer)
 * and by keeping the session cache at one entry; peers are thus verified on every connection.
 */
public final class MeshTlsContexts {

    /** The only ALPN protocol HBONE speaks. */
    public static final String ALPN_H2 = "h2";
    /** The only TLS version HBONE accepts. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3");
    /** The cipher suites HBONE accepts. */
    public static final List<String> CIPHERS = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");

    private MeshTlsContexts() {
    }

    /** Returns the TLS provider: BoringSSL/OpenSSL when netty-tcnative is present and loads, else the JDK. */
    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** Builds a server context presenting {@code identity} and requiring a client certificate. */
    public static SslContext server(TlsIdentity identity, PeerVerifier verifier) throws SSLException {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(verifier, "verifier");
        SslContextBuilder builder = SslContextBuilder
                .forServer(identity.key(), identity.chain().toArray(X509Certificate[]::new))
                .clientAuth(ClientAuth.REQUIRE)
                // BoringSSL cannot alert on an ALPN mismatch; the HBONE server's ALPN gate closes what is not h2.
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, ALPN_H2))
                .trustManager(new SpiffeTrustManager(verifier, Set.of()));
        return common(builder).build();
    }

    /**
     * Builds a client context presenting {@code identity} that accepts only a server proving one of
     * {@code expectedServers} (any verified server when empty).
     */
    public static SslContext client(TlsIdentity identity, PeerVerifier verifier, Set<String> expectedServers)
            throws SSLException {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(expectedServers, "expectedServers");
        SslContextBuilder builder = SslContextBuilder.forClient()
                .keyManager(identity.key(), identity.chain().toArray(X509Certificate[]::new))
                // The client's ALPN gate fails a connection that did not choose h2 (BoringSSL cannot alert).
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, ALPN_H2))
                // Identity is a SPIFFE URI checked by the trust manager, not a hostname.
                .endpointIdentificationAlgorithm(null)
                .trustManager(new SpiffeTrustManager(verifier, expectedServers));
        return common(builder).build();
    }

    private static SslContextBuilder common(SslContextBuilder builder) {
        SslProvider provider = provider();
        builder.sslProvider(provider).protocols(PROTOCOLS).sessionCacheSize(1).sessionTimeout(1);
        if (provider == SslProvider.JDK) {
            // BoringSSL's TLS 1.3 suites are fixed (AES-GCM and ChaCha20-Poly1305, all AEAD); the JDK's are narrowed.
            builder.ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
        }
        return builder;
    }
}
