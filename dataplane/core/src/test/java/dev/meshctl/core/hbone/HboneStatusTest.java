package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.meshctl.core.tls.MeshTlsContexts;
import dev.meshctl.core.tls.PkixPeerVerifier;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server answers 200 only after the upstream connect, and 400/401/503 otherwise. */
class HboneStatusTest {

    private HboneFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new HboneFixture(s -> s.connectTimeout(java.time.Duration.ofSeconds(2)), c -> { });
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void answers200AfterTheUpstreamConnected() throws Exception {
        HboneStream stream = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
        assertThat(stream.channel().isActive()).isTrue();
        assertThat(Sockets.eventually(() -> fixture.echo.accepted.get() == 1, 5_000)).isTrue();
        stream.close();
    }

    @Test
    void targetThatIsNotTheDestinationGets400() {
        HboneRequest request = HboneRequest.of(fixture.hbone, new InetSocketAddress("10.1.2.3", 80),
                Set.of(HboneFixture.SERVER), HboneFixture.CLIENT);
        assertThat(statusOf(request)).isEqualTo(400);
        assertThat(fixture.echo.accepted.get()).isZero();
    }

    @Test
    void policyDenialGets401AndNothingReachesUpstream() {
        fixture.policy = r -> InboundDecision.reject(401, "denied by policy");
        assertThat(statusOf(fixture.toEcho())).isEqualTo(401);
        assertThat(fixture.echo.accepted.get()).isZero();
    }

    @Test
    void refusedUpstreamGets503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        HboneRequest request = HboneRequest.of(fixture.hbone, new InetSocketAddress("127.0.0.1", closedPort),
                Set.of(HboneFixture.SERVER), HboneFixture.CLIENT);
        assertThat(statusOf(request)).isEqualTo(503);
    }

    @Test
    void throwingHandlerGets503() {
        fixture.policy = r -> {
            throw new IllegalStateException("boom");
        };
        assertThat(statusOf(fixture.toEcho())).isEqualTo(503);
    }

    @Test
    void nonConnectMethodGets400() throws Exception {
        var context = MeshTlsContexts.client(fixture.clientIdentity,
                PkixPeerVerifier.trusting(List.of(fixture.pki.root())), Set.of(HboneFixture.SERVER));
        try (RawH2Client raw = new RawH2Client(context, fixture.hbone, false)) {
            var get = new DefaultHttp2Headers().method("GET").scheme("https").path("/")
                    .authority("127.0.0.1:" + fixture.echo.address().getPort());
            RawH2Client.Outcome outcome = raw.send(get).get(10, TimeUnit.SECONDS);
            assertThat(outcome.status()).isEqualTo(400);
            // The connection stays usable for real CONNECTs.
            RawH2Client.Outcome ok = raw.send(RawH2Client.connect("127.0.0.1:" + fixture.echo.address().getPort()))
                    .get(10, TimeUnit.SECONDS);
            assertThat(ok.status()).isEqualTo(200);
        }
        assertThat(fixture.requests).hasSize(1);
    }

    private int statusOf(HboneRequest request) {
        Throwable t = catchThrowable(() -> fixture.pool.open(request).join());
        assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(HboneException.class);
        return ((HboneException) t.getCause()).status();
    }
}
