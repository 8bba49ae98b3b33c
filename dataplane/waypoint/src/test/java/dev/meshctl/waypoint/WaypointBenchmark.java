package dev.meshctl.waypoint;

import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.hbone.HboneClient;
import dev.meshctl.core.hbone.HbonePool;
import dev.meshctl.core.hbone.HboneRequest;
import dev.meshctl.core.hbone.HboneServer;
import dev.meshctl.core.hbone.HboneStream;
import dev.meshctl.core.hbone.InboundDecision;
import dev.meshctl.core.hbone.StreamBytes;
import dev.meshctl.core.hbone.Transport;
import dev.meshctl.core.tls.TestPki;
import dev.meshctl.core.tls.TlsIdentity;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures what a waypoint adds, in one JVM on loopback: HTTP/1.1 POSTs at a fixed rate over a few keep-alive
 * connections, each inside an HBONE tunnel, first straight to a fake destination node agent in front of an echo
 * server, then through the waypoint (tunnel to the waypoint, waypoint to the same agent). Latency is taken from each
 * request's scheduled start (no coordinated omission); the waypoint's CPU is its event-loop threads' CPU time.
 * Figures are printed, nothing is asserted.
 *
 * <p>Run with {@code scripts/bench-waypoint-inproc [RATE] [SECONDS] [CONNECTIONS]}.
 */
public final class WaypointBenchmark {

    private static final String VIP = "10.96.0.10";
    private static final int PORT = 8000;
    private static final String POD = "127.0.1.1";

    private WaypointBenchmark() {
    }

    /** Latency percentiles in milliseconds. */
    record Result(long requests, long errors, double p50, double p90, double p99, double max) {
        String row(String name) {
            return String.format("%-22s %9.3f %9.3f %9.3f %9.3f %8d %6d", name, p50, p90, p99, max, requests, errors);
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int body = 1024;
        Transport transport = Transport.preferred();
        EventLoopGroup appGroup = transport.newGroup(1, "bench-app");
        TestPki pki = TestPki.create("mesh-root");
        String clientId = TestPki.spiffe("default", "curl");
        String serverId = TestPki.spiffe("default", "httpbin");
        TlsIdentity client = pki.issue(clientId);
        TlsIdentity server = pki.issue(serverId);
        TlsIdentity waypointId = pki.issue(Mesh.WAYPOINT);
        Channel app = new ServerBootstrap().group(appGroup).channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Echo());
                    }
                }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        InetSocketAddress appAddress = (InetSocketAddress) app.localAddress();
        try (HboneServer agent = HboneServer.builder().threads(1)
                .identities(local -> Optional.of(server))
                .handler(request -> InboundDecision.connect(appAddress)).build();
             HboneClient hbone = HboneClient.builder().threads(1)
                     .certificates(id -> id.equals(clientId) ? Optional.of(client) : Optional.empty()).build();
             HbonePool pool = new HbonePool(hbone)) {
            InetSocketAddress agentAddress = agent.bind(new InetSocketAddress(InetAddress.getByName(POD), 0));
            ConfigState config = new Mesh().service("httpbin", VIP, PORT, "http")
                    .workload("httpbin", POD, PORT, "httpbin", "httpbin").build();
            try (Waypoint waypoint = Waypoint.start(new WaypointOptions("default", "waypoint", Mesh.WAYPOINT,
                    id -> id.equals(Mesh.WAYPOINT) ? Optional.of(waypointId) : Optional.empty(), Optional.empty(),
                    () -> config, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), agentAddress.getPort(),
                    Optional.empty(), Optional.empty(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))) {
                HboneRequest direct = new HboneRequest(agentAddress, POD + ":" + PORT, Set.of(serverId), clientId,
                        Optional.empty(), Optional.empty());
                HboneRequest through = new HboneRequest(waypoint.hboneAddress(), VIP + ":" + PORT,
                        Set.of(Mesh.WAYPOINT), clientId, Optional.empty(), Optional.empty());
                run(pool, direct, rate, Math.min(seconds, 5), connections, body); // warm every path
                run(pool, through, rate, Math.min(seconds, 5), connections, body);
                Result d = run(pool, direct, rate, seconds, connections, body);
                long cpu0 = cpu("waypoint");
                long t0 = System.nanoTime();
                Result w = run(pool, through, rate, seconds, connections, body);
                double cores = (cpu("waypoint") - cpu0) / (double) (System.nanoTime() - t0);
                System.out.printf("rate %d req/s, %d connections, %d B POST, %.0f s%n", rate, connections, body,
                        seconds);
                System.out.printf("%-22s %9s %9s %9s %9s %8s %6s%n", "", "p50 ms", "p90 ms", "p99 ms", "max ms",
                        "requests", "errors");
                System.out.println(d.row("direct (agent)"));
                System.out.println(w.row("through waypoint"));
                System.out.printf("%-22s %9.3f %9.3f %9.3f%n", "added", w.p50 - d.p50, w.p90 - d.p90, w.p99 - d.p99);
                System.out.printf("waypoint CPU: %.3f cores = %.3f vCPU per 1000 req/s%n", cores,
                        cores * 1000.0 / rate);
            }
        } finally {
            app.close().sync();
            appGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Sums the CPU time of the threads whose names start with {@code prefix}. */
    private static long cpu(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, t);
            }
        }
        return sum;
    }

    private static Result run(HbonePool pool, HboneRequest target, int rate, double seconds, int connections,
                              int body) throws Exception {
        List<Driver> drivers = new ArrayList<>();
        int perConnection = (int) (seconds * rate / connections);
        ByteBuf payload = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[body]));
        for (int c = 0; c < connections; c++) {
            HboneStream stream = pool.open(target).get(10, TimeUnit.SECONDS);
            Driver d = new Driver(stream, target.authority(), payload, perConnection);
            stream.channel().eventLoop().submit(d::install).sync();
            drivers.add(d);
        }
        long interval = 1_000_000_000L * connections / rate;
        long start = System.nanoTime() + 20_000_000L;
        for (int i = 0; i < perConnection; i++) {
            for (int c = 0; c < connections; c++) {
                long due = start + i * interval + interval * c / connections;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait); // pacing the load, not waiting for a result
                }
                Driver d = drivers.get(c);
                d.stream.channel().eventLoop().execute(() -> d.fire(due));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Driver d : drivers) {
            while (!d.finished() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(5_000_000); // bounded wait for the last answers
            }
            d.stream.close();
        }
        long[] all = drivers.stream().flatMapToLong(Driver::latencies).sorted().toArray();
        long errors = drivers.stream().mapToLong(d -> d.errors + (d.expected - d.count - d.errors)).sum();
        if (all.length == 0) {
            return new Result(0, errors, 0, 0, 0, 0);
        }
        return new Result(all.length, errors, pct(all, 50), pct(all, 90), pct(all, 99), all[all.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    /** One keep-alive HTTP/1.1 connection inside a tunnel: one request at a time, late ones queued. */
    private static final class Driver extends SimpleChannelInboundHandler<FullHttpResponse> {
        final HboneStream stream;
        final String authority;
        final ByteBuf payload;
        final int expected;
        final long[] latencies;
        final ArrayDeque<Long> queue = new ArrayDeque<>();
        volatile int count;
        volatile long errors;
        long current = -1;

        Driver(HboneStream stream, String authority, ByteBuf payload, int expected) {
            this.stream = stream;
            this.authority = authority;
            this.payload = payload;
            this.expected = expected;
            this.latencies = new long[expected];
        }

        void install() {
            stream.channel().pipeline().addLast(new StreamBytes(), new HttpClientCodec(),
                    new HttpObjectAggregator(1 << 20), this);
            stream.channel().pipeline().remove("hbone-hold");
            stream.channel().config().setAutoRead(true);
        }

        void fire(long due) {
            if (current >= 0) {
                queue.add(due);
            } else {
                send(due);
            }
        }

        private void send(long due) {
            current = due;
            FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/anything",
                    payload.duplicate());
            r.headers().set(HttpHeaderNames.HOST, authority).set(HttpHeaderNames.CONTENT_LENGTH, payload.readableBytes())
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            stream.channel().writeAndFlush(r);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            long now = System.nanoTime();
            if (msg.status().code() != 200) {
                errors++;
                if (errors <= 3) {
                    System.out.println("error: " + msg.status() + " " + msg.headers().get("x-envoy-response-flags", "")
                            + " " + msg.content().toString(java.nio.charset.StandardCharsets.UTF_8));
                }
            } else if (count < latencies.length) {
                latencies[count++] = now - current;
            }
            current = -1;
            Long next = queue.poll();
            if (next != null) {
                send(next);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            current = -1;
            queue.clear();
        }

        boolean finished() {
            return count + errors >= expected || !stream.channel().isActive();
        }

        java.util.stream.LongStream latencies() {
            return Arrays.stream(latencies, 0, count);
        }
    }

    /** Answers every request with its own body. */
    private static final class Echo extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    msg.content().retain());
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, msg.content().readableBytes())
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            ctx.writeAndFlush(r);
        }
    }
}
