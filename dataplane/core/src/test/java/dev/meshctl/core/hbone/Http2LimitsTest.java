package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.core.tls.MeshTlsContexts;
import dev.meshctl.core.tls.PkixPeerVerifier;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's HTTP/2 limits hold against a client that ignores them. */
class Http2LimitsTest {

    private HboneFixture fixture;
    private SslContext tls;
    private String target;

    @BeforeEach
    void start() throws Exception {
        fixture = new HboneFixture();
        tls = MeshTlsContexts.client(fixture.clientIdentity, PkixPeerVerifier.trusting(List.of(fixture.pki.root())),
                Set.of(HboneFixture.SERVER));
        target = "127.0.0.1:" + fixture.echo.address().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void maxConcurrentStreamsIsAdvertisedAndEnforced() throws Exception {
        try (RawH2Client raw = new RawH2Client(tls, fixture.hbone, true)) {
            assertThat(raw.advertisedMaxStreams.get(10, TimeUnit.SECONDS)).isEqualTo(100L);
            List<CompletableFuture<RawH2Client.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 101; i++) {
                outcomes.add(raw.send(RawH2Client.connect(target)));
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(outcomes.subList(0, 100)).allSatisfy(o -> assertThat(o.join().status()).isEqualTo(200));
            assertThat(outcomes.get(100).join().resetCode()).isEqualTo(Http2Error.REFUSED_STREAM.code());
        }
    }

    @Test
    void rapidResetIsAnsweredWithGoAwayWhileOtherConnectionsKeepWorking() throws Exception {
        try (RawH2Client attacker = new RawH2Client(tls, fixture.hbone, false)) {
            attacker.advertisedMaxStreams.get(10, TimeUnit.SECONDS);
            attacker.rapidReset(Http2Hardening.MAX_RST_FRAMES + 100, target);
            // The server sends GOAWAY(ENHANCE_YOUR_CALM) and closes; frames the attacker sent after that make the
            // server's kernel answer with a TCP reset, which can discard the GOAWAY before this client reads it. So
            // the close is required, and the GOAWAY's code is checked whenever it arrived.
            assertThat(attacker.channel.closeFuture().await(20, TimeUnit.SECONDS)).as("attacker disconnected").isTrue();
            if (attacker.goAwayCode.isDone()) {
                assertThat(attacker.goAwayCode.join()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
            }
        }
        byte[] hello = "still here".getBytes(StandardCharsets.US_ASCII);
        try (TestAgent agent = new TestAgent(fixture.pool, fixture::toEcho)) {
            assertThat(Sockets.exchange(agent.address(), hello))
                    .isEqualTo(Sockets.concat(hello, EchoUpstream.EOF_MARKER));
        }
    }
}
