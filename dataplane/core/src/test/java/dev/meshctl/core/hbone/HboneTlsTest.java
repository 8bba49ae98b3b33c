package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.meshctl.core.tls.MeshTlsContexts;
import dev.meshctl.core.tls.TestPki;
import dev.meshctl.core.tls.TlsIdentity;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Only TLS 1.3 + h2 peers with a certificate from the mesh root, proving the expected identity, get through. */
class HboneTlsTest {

    private HboneFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new HboneFixture();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void serverWithAnUnexpectedIdentityIsRefusedByTheClient() {
        HboneRequest request = HboneRequest.of(fixture.hbone, fixture.echo.address(),
                Set.of(TestPki.spiffe("default", "somebody-else")), HboneFixture.CLIENT);
        Throwable t = catchThrowable(() -> fixture.pool.open(request).join());
        assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(HboneException.class);
        assertThat(t.getCause()).hasMessageContaining("TLS handshake");
        assertThat(((HboneException) t.getCause()).status()).isEqualTo(HboneException.NO_STATUS);
        assertThat(fixture.requests).isEmpty();
    }

    @Test
    void clientFromAnUntrustedRootIsRefused() throws Exception {
        TlsIdentity stranger = TestPki.create("other-root").issue(HboneFixture.CLIENT, List.of(fixture.pki.root()));
        try (HboneClient client = HboneClient.builder().threads(1)
                .certificates(id -> Optional.of(stranger)).build();
             HbonePool pool = new HbonePool(client)) {
            Throwable t = catchThrowable(() -> pool.open(fixture.toEcho()).join());
            assertThat(t).hasCauseInstanceOf(HboneException.class);
        }
        assertThat(fixture.requests).isEmpty();
    }

    @Test
    void serverFromAnUntrustedRootIsRefused() throws Exception {
        TlsIdentity clientTrustingOtherRoot = fixture.pki.issue(HboneFixture.CLIENT,
                List.of(TestPki.create("other-root").root()));
        try (HboneClient client = HboneClient.builder().threads(1)
                .certificates(id -> Optional.of(clientTrustingOtherRoot)).build();
             HbonePool pool = new HbonePool(client)) {
            Throwable t = catchThrowable(() -> pool.open(fixture.toEcho()).join());
            assertThat(t).hasCauseInstanceOf(HboneException.class);
            assertThat(t.getCause()).hasMessageContaining("TLS handshake");
        }
        assertThat(fixture.requests).isEmpty();
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        SslContext noCert = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .protocols(MeshTlsContexts.PROTOCOLS)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(alpn("h2"))
                .build();
        assertRefused(noCert);
    }

    @Test
    void tls12OnlyClientIsRefused() throws Exception {
        SslContext tls12 = withClientCert(SslContextBuilder.forClient()).protocols("TLSv1.2")
                .applicationProtocolConfig(alpn("h2")).build();
        try (RawH2Client raw = new RawH2Client(tls12, fixture.hbone, false)) {
            assertThat(raw.handshake().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(raw.handshake().isSuccess()).isFalse();
        }
        assertThat(fixture.requests).isEmpty();
    }

    @Test
    void clientNotSpeakingH2IsRefused() throws Exception {
        SslContext http11 = withClientCert(SslContextBuilder.forClient()).protocols(MeshTlsContexts.PROTOCOLS)
                .applicationProtocolConfig(alpn("http/1.1")).build();
        assertRefused(http11);
    }

    @Test
    void clientOfferingNoAlpnIsRefused() throws Exception {
        SslContext none = withClientCert(SslContextBuilder.forClient()).protocols(MeshTlsContexts.PROTOCOLS).build();
        assertRefused(none);
    }

    @Test
    void missingSourceCertificateFailsWithAnExplanation() {
        HboneRequest request = HboneRequest.of(fixture.hbone, fixture.echo.address(), Set.of(HboneFixture.SERVER),
                TestPki.spiffe("default", "unknown"));
        Throwable t = catchThrowable(() -> fixture.pool.open(request).join());
        assertThat(t.getCause()).isInstanceOf(HboneException.class).hasMessageContaining("no certificate for");
    }

    @Test
    void serverWithoutIdentityForTheAddressClosesTheConnection() throws Exception {
        try (HboneServer server = HboneServer.builder().threads(1).identities(local -> Optional.empty())
                .handler(r -> InboundDecision.reject(401, "unused")).build()) {
            var address = server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            HboneRequest request = HboneRequest.of(address, fixture.echo.address(), Set.of(HboneFixture.SERVER),
                    HboneFixture.CLIENT);
            Throwable t = catchThrowable(() -> fixture.pool.open(request).join());
            assertThat(t.getCause()).isInstanceOf(HboneException.class);
        }
    }

    /** The handshake may look complete to the client, but no stream is ever answered and the server hangs up. */
    private void assertRefused(SslContext context) throws Exception {
        try (RawH2Client raw = new RawH2Client(context, fixture.hbone, false)) {
            raw.handshake().await(10, TimeUnit.SECONDS);
            if (raw.handshake().isSuccess()) {
                raw.send(RawH2Client.connect("127.0.0.1:" + fixture.echo.address().getPort()));
            }
            assertThat(raw.channel.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(fixture.requests).isEmpty();
        assertThat(fixture.echo.accepted.get()).isZero();
    }

    private SslContextBuilder withClientCert(SslContextBuilder builder) {
        return builder.sslProvider(SslProvider.JDK)
                .keyManager(fixture.clientIdentity.key(), fixture.clientIdentity.chain().toArray(X509Certificate[]::new))
                .trustManager(InsecureTrustManagerFactory.INSTANCE);
    }

    private static ApplicationProtocolConfig alpn(String protocol) {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocol);
    }
}
