package dev.meshctl.waypoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.mesh.Backend;
import dev.meshctl.api.mesh.HeaderMatch;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.RouteMatch;
import dev.meshctl.api.mesh.RouteRule;
import dev.meshctl.core.hbone.HboneStream;
import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.waypoint.http.DownstreamLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 with prior knowledge inside the tunnel: requests and gRPC-shaped calls are routed and answered, abuse is
 * answered with GOAWAY or a stream error without disturbing other tunnels, and non-HTTP bytes are relayed as TCP.
 */
class WaypointHttp2Test {

    static final String REVIEWS = "10.96.0.10:9080";
    static final String GREETER = "10.96.0.20:50051";
    static final String DB = "10.96.0.30:5432";

    WaypointFixture f;
    WaypointFixture.Echo v1;
    WaypointFixture.Echo v2;
    H2Echo grpc;
    ServerSocket tcpEcho;

    @BeforeEach
    void setUp() throws Exception {
        f = new WaypointFixture();
        v1 = f.endpoint("reviews-v1", "127.0.1.1", "reviews", 0);
        v2 = f.endpoint("reviews-v2", "127.0.1.2", "reviews", 0);
        grpc = new H2Echo();
        f.closeables.add(grpc);
        f.agent("127.0.1.3", "greeter", grpc.address());
        tcpEcho = startTcpEcho();
        f.closeables.add(tcpEcho);
        f.agent("127.0.1.4", "db", (InetSocketAddress) tcpEcho.getLocalSocketAddress());
        Route byHeader = Route.newBuilder().setName("reviews").setNamespace("default")
                .addParents(Mesh.key("reviews"))
                .addRules(RouteRule.newBuilder().setName("v2").addMatches(RouteMatch.newBuilder()
                                .addHeaders(HeaderMatch.newBuilder().setName("x-version").setValue("v2")))
                        .addBackends(Backend.newBuilder().setService(Mesh.key("reviews-v2")).setPort(9080)
                                .setWeight(1)))
                .addRules(RouteRule.newBuilder().setName("default")
                        .addBackends(Backend.newBuilder().setService(Mesh.key("reviews-v1")).setPort(9080)
                                .setWeight(1)))
                .build();
        f.config.set(new Mesh().service("reviews", "10.96.0.10", 9080, "http")
                .service("reviews-v1", "10.96.0.11", 9080, "http")
                .service("reviews-v2", "10.96.0.12", 9080, "http")
                .service("greeter", "10.96.0.20", 50051, "grpc")
                .service("db", "10.96.0.30", 5432, "")
                .workload("reviews-v1", "127.0.1.1", 9080, "reviews", "reviews", "reviews-v1")
                .workload("reviews-v2", "127.0.1.2", 9080, "reviews", "reviews", "reviews-v2")
                .workload("greeter", "127.0.1.3", 50051, "greeter", "greeter")
                .workload("db", "127.0.1.4", 5432, "db", "db")
                .add(byHeader).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    static Http2Headers get(String authority, String path) {
        return new DefaultHttp2Headers().method("GET").scheme("http").authority(authority).path(path);
    }

    static boolean is(RawTunnel.Event e, RawTunnel.Kind kind, int stream) {
        return e.kind() == kind && e.streamId() == stream;
    }

    @Test
    void routesConcurrentStreamsOfOneTunnelByHeader() throws Exception {
        try (RawTunnel t = new RawTunnel(f.tunnel(REVIEWS)).preface()) {
            t.headers(1, get(REVIEWS, "/reviews/1").add("x-version", "v2"), true);
            t.headers(3, get(REVIEWS, "/reviews/2"), true);
            RawTunnel.Event first = t.await(e -> is(e, RawTunnel.Kind.HEADERS, 1), 20);
            RawTunnel.Event second = t.await(e -> is(e, RawTunnel.Kind.HEADERS, 3), 20);
            assertThat(first.headers().status()).hasToString("200");
            assertThat(first.headers().get("x-endpoint")).hasToString("reviews-v2");
            assertThat(second.headers().status()).hasToString("200");
            assertThat(second.headers().get("x-endpoint")).hasToString("reviews-v1");
            assertThat(t.await(e -> is(e, RawTunnel.Kind.DATA, 1) && e.endStream(), 20).data())
                    .contains("path=/reviews/1");
        }
        assertThat(f.registry.scrape()).contains("request_protocol=\"http2\"");
    }

    @Test
    void answersAGrpcShapedCallWithBodyAndTrailers() throws Exception {
        byte[] message = {0, 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}; // uncompressed, length 5
        try (RawTunnel t = new RawTunnel(f.tunnel(GREETER)).preface()) {
            t.headers(1, new DefaultHttp2Headers().method("POST").scheme("http").authority(GREETER)
                    .path("/greet.Greeter/Hello").set("content-type", "application/grpc").set("te", "trailers"),
                    false);
            t.data(1, message, true);
            RawTunnel.Event head = t.await(e -> is(e, RawTunnel.Kind.HEADERS, 1), 20);
            assertThat(head.headers().status()).hasToString("200");
            assertThat(head.headers().get("content-type")).hasToString("application/grpc");
            assertThat(t.await(e -> is(e, RawTunnel.Kind.DATA, 1), 20).data().getBytes(StandardCharsets.ISO_8859_1))
                    .isEqualTo(message);
            RawTunnel.Event trailers = t.await(e -> is(e, RawTunnel.Kind.HEADERS, 1) && e != head, 20);
            assertThat(trailers.endStream()).isTrue();
            assertThat(trailers.headers().get("grpc-status")).hasToString("0");
            assertThat(trailers.headers().get("x-path")).hasToString("/greet.Greeter/Hello");
        }
        assertThat(grpc.hits.get()).isEqualTo(1);
    }

    @Test
    void aCancelledStreamLeavesItsSiblingsServed() throws Exception {
        try (RawTunnel t = new RawTunnel(f.tunnel(REVIEWS)).preface()) {
            t.headers(1, get(REVIEWS, "/slow").method("POST"), false);
            t.reset(1);
            t.headers(3, get(REVIEWS, "/next"), true);
            assertThat(t.await(e -> is(e, RawTunnel.Kind.HEADERS, 3), 20).headers().status()).hasToString("200");
            assertThat(t.seen).noneMatch(e -> e.kind() == RawTunnel.Kind.GOAWAY || e.kind() == RawTunnel.Kind.CLOSED);
        }
    }

    @Test
    void anOversizedBodyResetsOnlyItsStream() throws Exception {
        try (RawTunnel t = new RawTunnel(f.tunnel(REVIEWS)).preface()) {
            t.headers(1, get(REVIEWS, "/upload").method("POST"), false);
            t.body(1, DownstreamLimits.MAX_BODY_BYTES + 65_536, 60);
            assertThat(t.await(e -> is(e, RawTunnel.Kind.RST_STREAM, 1), 20).code())
                    .isEqualTo(Http2Error.CANCEL.code());
            t.headers(3, get(REVIEWS, "/next"), true);
            assertThat(t.await(e -> is(e, RawTunnel.Kind.HEADERS, 3), 20).headers().status()).hasToString("200");
            assertThat(t.seen).noneMatch(e -> e.kind() == RawTunnel.Kind.GOAWAY);
        }
        assertThat(v1.hits().get()).as("the oversized request never reached a backend").isEqualTo(1);
    }

    @Test
    void rapidResetGetsGoAwayWhileAnotherTunnelKeepsBeingServed() throws Exception {
        try (RawTunnel bystander = new RawTunnel(f.tunnel(REVIEWS)).preface();
             RawTunnel attacker = new RawTunnel(f.tunnel(REVIEWS)).preface()) {
            attacker.rapidReset(1, 400 /* twice the limit */, get(REVIEWS, "/"));
            RawTunnel.Event goAway = attacker.await(e -> e.kind() == RawTunnel.Kind.GOAWAY, 20);
            assertThat(goAway.code()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
            assertThat(attacker.closedWithin(10)).isTrue();
            assertBystanderServed(bystander);
        }
        assertThat(v1.hits().get()).as("only the bystanders reach a backend").isEqualTo(2);
    }

    @Test
    void continuationFloodGetsGoAwayWhileAnotherTunnelKeepsBeingServed() throws Exception {
        try (RawTunnel bystander = new RawTunnel(f.tunnel(REVIEWS)).preface();
             RawTunnel attacker = new RawTunnel(f.tunnel(REVIEWS)).preface()) {
            attacker.continuationFlood(1, 10_000);
            RawTunnel.Event goAway = attacker.await(e -> e.kind() == RawTunnel.Kind.GOAWAY, 20);
            assertThat(goAway.code()).isNotEqualTo(Http2Error.NO_ERROR.code());
            assertThat(attacker.closedWithin(10)).isTrue();
            assertBystanderServed(bystander);
        }
        assertThat(v1.hits().get()).isEqualTo(2);
    }

    @Test
    void oversizedHeadersAreRefusedWhileAnotherTunnelKeepsBeingServed() throws Exception {
        String big = "x".repeat(32 * 1024);
        try (RawTunnel bystander = new RawTunnel(f.tunnel(REVIEWS)).preface();
             RawTunnel attacker = new RawTunnel(f.tunnel(REVIEWS)).preface()) {
            attacker.headers(1, get(REVIEWS, "/").add("x-big", big), true);
            RawTunnel.Event refused = attacker.await(e -> e.kind() == RawTunnel.Kind.GOAWAY
                    || e.kind() == RawTunnel.Kind.RST_STREAM || is(e, RawTunnel.Kind.HEADERS, 1), 20);
            if (refused.kind() == RawTunnel.Kind.HEADERS) {
                assertThat(refused.headers().status()).hasToString("431");
            } else {
                assertThat(refused.code()).isNotEqualTo(Http2Error.NO_ERROR.code());
            }
            assertBystanderServed(bystander);
        }
        assertThat(v1.hits().get()).isEqualTo(2);
    }

    @Test
    void relaysNonHttpBytesAsTcp() throws Exception {
        HboneStream stream = f.tunnel(DB);
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        stream.channel().eventLoop().submit(() -> {
            stream.channel().pipeline().addLast(new StreamBytes(), new SimpleChannelInboundHandler<ByteBuf>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                    received.add(msg.toString(StandardCharsets.ISO_8859_1));
                }
            });
            stream.channel().pipeline().remove("hbone-hold");
            stream.channel().config().setAutoRead(true);
        }).sync();
        byte[] hello = {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f}; // a binary handshake, not HTTP
        stream.channel().writeAndFlush(Unpooled.wrappedBuffer(hello)).sync();
        StringBuilder echoed = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (echoed.length() < hello.length && System.nanoTime() < deadline) {
            String part = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (part != null) {
                echoed.append(part);
            }
        }
        stream.close();
        assertThat(echoed.toString().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(hello);
        assertThat(f.agentRequests).anySatisfy(r -> {
            assertThat(r.target().getPort()).isEqualTo(5432);
            assertThat(r.peerIdentity()).isEqualTo(Mesh.WAYPOINT);
        });
    }

    private void assertBystanderServed(RawTunnel bystander) throws Exception {
        bystander.headers(1, get(REVIEWS, "/after"), true);
        assertThat(bystander.await(e -> is(e, RawTunnel.Kind.HEADERS, 1), 20).headers().status())
                .hasToString("200");
        assertThat(f.get(REVIEWS, "/").split("\n")[0]).as("a new tunnel is served too").isEqualTo("200");
    }

    /** Echoes every byte back, one thread per connection, until closed. */
    private static ServerSocket startTcpEcho() throws Exception {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread echo = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (Exception e) {
                            // the peer went away
                        }
                    }, "tcp-echo");
                    echo.setDaemon(true);
                    echo.start();
                } catch (Exception e) {
                    return; // closed
                }
            }
        }, "tcp-echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }
}
