package dev.meshctl.core.hbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.meshctl.core.tls.TestPki;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Listener setup: transparent sockets, transports, bind errors. */
class HboneServerTest {

    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void transparentListenerServesHbone() throws Exception {
        assumeThat(Transport.preferred()).as("native epoll").isEqualTo(Transport.EPOLL);
        try (HboneFixture fixture = new HboneFixture();
             HboneServer transparent = HboneServer.builder().threads(1).transparent(true)
                     .identities(local -> Optional.of(fixture.serverIdentity))
                     .handler(HboneFixture::destinationOnly).build()) {
            InetSocketAddress bound;
            try {
                bound = transparent.bind(ANY_LOOPBACK);
            } catch (IOException e) {
                assumeThat(e.getMessage()).as("IP_TRANSPARENT needs CAP_NET_ADMIN").doesNotContain("CAP_NET_ADMIN");
                throw e;
            }
            HboneRequest request = HboneRequest.of(bound, fixture.echo.address(),
                    java.util.Set.of(HboneFixture.SERVER), HboneFixture.CLIENT);
            try (TestAgent agent = new TestAgent(fixture.pool, () -> request)) {
                byte[] hi = "hi".getBytes(StandardCharsets.US_ASCII);
                assertThat(Sockets.exchange(agent.address(), hi)).isEqualTo(Sockets.concat(hi, EchoUpstream.EOF_MARKER));
            }
        }
    }

    @Test
    void transparentNeedsEpoll() {
        EventLoopGroup nio = Transport.NIO.newGroup(1, "nio-test");
        try {
            assertThatThrownBy(() -> HboneServer.builder().eventLoopGroup(nio, Transport.NIO).transparent(true)
                    .identities(local -> Optional.empty()).handler(r -> InboundDecision.reject(401, "x")).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("epoll");
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void nioTransportServesHboneToo() throws Exception {
        EventLoopGroup nio = Transport.NIO.newGroup(1, "nio-test");
        try (HboneFixture fixture = new HboneFixture(s -> s.eventLoopGroup(nio, Transport.NIO), c -> { })) {
            HboneStream stream = fixture.pool.open(fixture.toEcho()).get(10, TimeUnit.SECONDS);
            assertThat(stream.channel().isActive()).isTrue();
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void bindFailureNamesTheAddress() throws Exception {
        try (HboneServer first = server(); HboneServer second = server()) {
            InetSocketAddress taken = first.bind(ANY_LOOPBACK);
            assertThatThrownBy(() -> second.bind(taken))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen for HBONE on " + taken);
        }
    }

    @Test
    void builderRefusesMissingPartsAndBadDurations() {
        assertThatThrownBy(() -> HboneServer.builder().handler(r -> InboundDecision.reject(401, "x")).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("identities");
        assertThatThrownBy(() -> HboneServer.builder().connectTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InboundDecision.reject(200, "ok"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static HboneServer server() {
        var id = TestPki.create("r").issue(TestPki.spiffe("a", "b"));
        return HboneServer.builder().threads(1).identities(local -> Optional.of(id))
                .handler(r -> InboundDecision.reject(401, "x")).build();
    }
}
