package dev.meshctl.waypoint;

import dev.meshctl.core.tls.TestPki;
import com.sun.net.httpserver.HttpServer;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.hbone.ConnectRequest;
import dev.meshctl.core.hbone.HboneClient;
import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneRequest;
import dev.meshctl.core.hbone.HboneServer;
import dev.meshctl.core.hbone.HboneStream;
import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.core.tls.TlsIdentity;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a waypoint in process with fake node agents: each endpoint is an {@link HboneServer} on its own loopback IP
 * (127.0.1.N, one shared port) in front of an echo HTTP server that reports which endpoint answered. A client with
 * identity {@code sa/curl} opens HBONE tunnels to the waypoint and speaks HTTP/1.1 in them.
 */
final class WaypointFixture implements AutoCloseable {

    static final String CLIENT = TestPki.spiffe("default", "curl");

    final TestPki pki = TestPki.create("mesh-root");
    final TlsIdentity waypointId = pki.issue(Mesh.WAYPOINT);
    final TlsIdentity clientId = pki.issue(CLIENT);
    final AtomicReference<ConfigState> config = new AtomicReference<>(ConfigState.empty());
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Every CONNECT a fake node agent saw. */
    final List<ConnectRequest> agentRequests = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();
    private Waypoint waypoint;
    final HboneClient client;
    final HbonePool pool;
    private int agentPort;

    WaypointFixture() throws Exception {
        client = HboneClient.builder().threads(1)
                .certificates(id -> id.equals(CLIENT) ? Optional.of(clientId) : Optional.empty()).build();
        pool = new HbonePool(client);
    }

    /**
     * Echo behaviour: path {@code /status/N} answers N, {@code /delay/MS} waits first, {@code /close} ends the
     * connection after answering; the body names the pod.
     */
    record Echo(String name, AtomicInteger hits, List<String> seenHeaders) {
    }

    /**
     * Starts a fake node agent for pod {@code ip} (127.0.1.x) with identity {@code sa}, fronting an echo server named
     * {@code name}; {@code failEvery} > 0 makes every n-th request answer 503.
     */
    Echo endpoint(String name, String ip, String sa, int failEvery) throws Exception {
        Echo echo = new Echo(name, new AtomicInteger(), new CopyOnWriteArrayList<>());
        ExecutorService executor = Executors.newCachedThreadPool();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(executor);
        http.createContext("/", ex -> {
            int n = echo.hits().incrementAndGet();
            String path = ex.getRequestURI().toString();
            StringBuilder body = new StringBuilder("endpoint=" + name + "\npath=" + path + "\n");
            ex.getRequestHeaders().forEach((k, v) -> v.forEach(val -> {
                body.append("h:").append(k.toLowerCase()).append('=').append(val).append('\n');
                echo.seenHeaders().add(k.toLowerCase() + "=" + val);
            }));
            int status = 200;
            if (path.startsWith("/status/")) {
                status = Integer.parseInt(path.substring("/status/".length()));
            } else if (path.startsWith("/delay/")) {
                try {
                    Thread.sleep(Long.parseLong(path.substring("/delay/".length())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failEvery > 0 && n % failEvery == 0) {
                status = 503;
            }
            ex.getRequestBody().readAllBytes();
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("x-endpoint", name);
            if (path.startsWith("/close")) {
                ex.getResponseHeaders().set("connection", "close");
            }
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        http.start();
        closeables.add(() -> {
            http.stop(0);
            executor.shutdownNow();
        });
        agent(ip, sa, http.getAddress());
        return echo;
    }

    /** Starts a fake node agent for pod {@code ip} (127.0.1.x) with identity {@code sa} that connects to {@code app}. */
    void agent(String ip, String sa, InetSocketAddress app) throws Exception {
        TlsIdentity agentIdentity = pki.issue(TestPki.spiffe("default", sa));
        HboneServer agent = HboneServer.builder().threads(1)
                .identities(local -> Optional.of(agentIdentity))
                .handler(request -> {
                    agentRequests.add(request);
                    return InboundDecision.connect(app);
                }).build();
        closeables.add(agent);
        InetSocketAddress bound = agent.bind(new InetSocketAddress(InetAddress.getByName(ip), agentPort));
        agentPort = bound.getPort(); // every fake agent shares the first one's port, on its own IP
    }

    /** Opens a raw tunnel through the waypoint to {@code target} ("VIP:port"), its bytes not yet read. */
    HboneStream tunnel(String target) throws Exception {
        return pool.open(new HboneRequest(active().hboneAddress(), target, Set.of(Mesh.WAYPOINT),
                CLIENT, Optional.empty(), Optional.empty())).get(10, TimeUnit.SECONDS);
    }

    /** Returns the waypoint, starting it (after the endpoints, whose HBONE port it dials) on first use. */
    synchronized Waypoint active() throws Exception {
        if (waypoint == null) {
            waypoint = Waypoint.start(new WaypointOptions("default", "waypoint", Mesh.WAYPOINT,
                    id -> id.equals(Mesh.WAYPOINT) ? Optional.of(waypointId) : Optional.empty(), Optional.empty(),
                    config::get, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), agentPort,
                    Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                    Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), registry));
        }
        return waypoint;
    }

    /** Sends one HTTP/1.1 request through a new tunnel to {@code target} ("VIP:port"). */
    FullHttpResponse send(String target, HttpMethod method, String uri, Map<String, String> headers)
            throws Exception {
        HboneStream stream = pool.open(new HboneRequest(active().hboneAddress(), target, Set.of(Mesh.WAYPOINT),
                CLIENT, Optional.empty(), Optional.empty())).get(10, TimeUnit.SECONDS);
        CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
        stream.channel().eventLoop().submit(() -> {
            stream.channel().pipeline().addLast(new StreamBytes(), new HttpClientCodec(),
                    new HttpObjectAggregator(1 << 20), new SimpleChannelInboundHandler<FullHttpResponse>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
                            answer.complete(msg.retainedDuplicate());
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            answer.completeExceptionally(new IllegalStateException("tunnel closed"));
                        }
                    });
            stream.channel().pipeline().remove("hbone-hold");
            stream.channel().config().setAutoRead(true);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                    Unpooled.EMPTY_BUFFER);
            request.headers().set("host", target);
            headers.forEach(request.headers()::add);
            request.headers().set("content-length", 0);
            stream.channel().writeAndFlush(request);
        }).sync();
        try {
            return answer.get(20, TimeUnit.SECONDS);
        } finally {
            // Ends the tunnel as a node agent does when the client closes its connection (END_STREAM, no reset).
            stream.channel().writeAndFlush(StreamBytes.END_STREAM);
        }
    }

    /** Returns the body of a GET through the waypoint. */
    String get(String target, String uri) throws Exception {
        FullHttpResponse r = send(target, HttpMethod.GET, uri, Map.of());
        try {
            return r.status().code() + "\n" + r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Override
    public void close() throws Exception {
        pool.close();
        client.close();
        if (waypoint != null) {
            waypoint.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }
}
