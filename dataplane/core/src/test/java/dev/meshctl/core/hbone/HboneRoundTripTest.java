package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes travel app -> agent -> HBONE -> server -> upstream and back, and the server learns who is calling. */
class HboneRoundTripTest {

    private HboneFixture fixture;
    private TestAgent agent;

    @BeforeEach
    void start() throws Exception {
        fixture = new HboneFixture();
        agent = new TestAgent(fixture.pool,
                () -> fixture.toEcho().withBaggage("k8s.namespace.name=default,k8s.deployment.name=client"));
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
        fixture.close();
    }

    @Test
    void smallPayloadRoundTrips() throws Exception {
        byte[] hello = "hello through the mesh".getBytes(StandardCharsets.UTF_8);
        byte[] received = Sockets.exchange(agent.address(), hello);
        assertThat(agent.errors).isEmpty();
        assertThat(received).isEqualTo(Sockets.concat(hello, EchoUpstream.EOF_MARKER));
        assertThat(agent.errors).isEmpty();
    }

    @Test
    void oneMebibyteRoundTrips() throws Exception {
        byte[] payload = new byte[1024 * 1024];
        new Random(42).nextBytes(payload);
        byte[] received = Sockets.exchange(agent.address(), payload);
        assertThat(received).isEqualTo(Sockets.concat(payload, EchoUpstream.EOF_MARKER));
        assertThat(Sockets.eventually(() -> agent.relays.size() == 1
                && agent.relays.get(0).bytesToStream() == payload.length, 5_000)).isTrue();
    }

    @Test
    void clientIdentityAndHeadersReachTheInboundHandler() throws Exception {
        Sockets.exchange(agent.address(), new byte[] {1});
        assertThat(fixture.requests).hasSize(1);
        ConnectRequest request = fixture.requests.get(0);
        assertThat(request.peerIdentity()).isEqualTo(HboneFixture.CLIENT);
        assertThat(request.target().getHostString()).isEqualTo("127.0.0.1");
        assertThat(request.target().getPort()).isEqualTo(fixture.echo.address().getPort());
        assertThat(request.localAddress()).isEqualTo(fixture.hbone);
        assertThat(request.header("forwarded")).hasValueSatisfying(v -> assertThat(v).startsWith("for=\"127.0.0.1:"));
        assertThat(request.header("baggage")).hasValue("k8s.namespace.name=default,k8s.deployment.name=client");
    }

    @Test
    void halfCloseReachesUpstreamAndItsAnswerStillArrives() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(agent.address(), Sockets.TIMEOUT_MS);
            s.setSoTimeout(Sockets.TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("ping".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(Sockets.readExactly(in, 4)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(fixture.echo.eofs.get()).isZero();

            s.shutdownOutput();

            assertThat(Sockets.readAll(in)).isEqualTo(EchoUpstream.EOF_MARKER);
            assertThat(fixture.echo.eofs.get()).isEqualTo(1);
        }
    }
}
