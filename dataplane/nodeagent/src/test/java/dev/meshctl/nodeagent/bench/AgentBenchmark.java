package dev.meshctl.nodeagent.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the node agent data path in-process, the way {@code scripts/bench-agent} does on a lab: fixed-rate 1 KB
 * request/response over 4 connections, direct and through two agents (HBONE mTLS), the agents' event-loop CPU per
 * 1000 requests/s, and single-connection bulk throughput through the agents relative to direct.
 *
 * <p>Usage: {@code AgentBenchmark [RATE=1000] [SECONDS=10] [CONNECTIONS=4] [BULK_SECONDS=4]}. Nothing is asserted;
 * the load generator shares the machine, so compare runs made on the same machine in the same state.
 */
public final class AgentBenchmark {

    private static final int BODY = 1024;
    /** Prefix of the agents' event-loop thread names (the {@code nodeagent} group). */
    private static final String AGENT_THREADS = "nodeagent-";

    private AgentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        double bulkSeconds = args.length > 3 ? Double.parseDouble(args[3]) : 4;
        try (BenchMesh mesh = new BenchMesh(); Upstreams up = new Upstreams(BenchMesh.SERVER_IP, BODY)) {
            FixedRateLoad.Result direct = load(mesh, up, false, rate, seconds, connections, null);
            long[] cpu = new long[1];
            FixedRateLoad.Result meshed = load(mesh, up, true, rate, seconds, connections, cpu);
            double elapsedCpuCores = cpu[0] / 1e9 / seconds;
            double perAgent = elapsedCpuCores / 2;
            double perK = perAgent / (meshed.rate() / 1000.0);
            int agentThreads = agentThreads().size();
            double directBulk = bulk(mesh, up, false, bulkSeconds);
            double meshBulk = bulk(mesh, up, true, bulkSeconds);
            report(direct, meshed, perAgent, perK, agentThreads, directBulk, meshBulk, connections);
        }
    }

    private static FixedRateLoad.Result load(BenchMesh mesh, Upstreams up, boolean meshed, int rate, double seconds,
                                             int connections, long[] cpuOut) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                sockets.add(mesh.open(up.responder(), meshed));
            }
            FixedRateLoad.run(sockets, rate, Math.min(5, seconds), BODY); // JIT warm-up
            long before = agentCpuNanos();
            FixedRateLoad.Result r = FixedRateLoad.run(sockets, rate, seconds, BODY);
            if (cpuOut != null) {
                cpuOut[0] = agentCpuNanos() - before;
            }
            return r;
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Sends for {@code seconds} on one connection to the sink; returns bits per second received. */
    private static double bulk(BenchMesh mesh, Upstreams up, boolean meshed, double seconds) throws IOException {
        try (Socket s = mesh.open(up.sink(), meshed)) {
            s.setSendBufferSize(1 << 20);
            s.setSoTimeout(60_000);
            byte[] chunk = new byte[128 * 1024];
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long sent = 0;
            while (System.nanoTime() < end) {
                out.write(chunk);
                sent += chunk.length;
            }
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            double elapsed = (System.nanoTime() - start) / 1e9;
            long received = answer.isEmpty() ? 0 : Long.parseLong(answer);
            if (received != sent) {
                System.err.printf("bulk %s: sent %d bytes, sink counted %d%n", meshed ? "meshed" : "direct", sent,
                        received);
            }
            return received * 8 / elapsed;
        }
    }

    private static List<Long> agentThreads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Long> ids = new ArrayList<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(AGENT_THREADS)) {
                ids.add(t.getThreadId());
            }
        }
        return ids;
    }

    private static long agentCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : agentThreads()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    private static void report(FixedRateLoad.Result d, FixedRateLoad.Result m, double perAgent, double perK,
                               int agentThreads, double directBulk, double meshBulk, int connections) {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long direct = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                ? p.metric().usedDirectMemory() : -1;
        Locale l = Locale.ROOT;
        System.out.printf(l, "rate %.0f req/s, %d connections, 1 KB request/response, %d requests (%d errors)%n",
                m.rate(), connections, m.requests(), m.errors() + d.errors());
        System.out.printf(l, "%-18s%10s%10s%10s%10s%n", "", "p50 ms", "p90 ms", "p99 ms", "max ms");
        row("direct", d.p50(), d.p90(), d.p99(), d.max());
        row("two node agents", m.p50(), m.p90(), m.p99(), m.max());
        row("added", m.p50() - d.p50(), m.p90() - d.p90(), m.p99() - d.p99(), m.max() - d.max());
        System.out.printf(l, "agent CPU (event loops): %.3f cores per agent = %.3f vCPU per 1000 req/s;"
                + " %d event-loop threads in two agents%n", perAgent, perK, agentThreads);
        System.out.printf(l, "bulk, one connection: direct %.2f Gbit/s, through agents %.2f Gbit/s = %.0f%% of direct%n",
                directBulk / 1e9, meshBulk / 1e9, 100 * meshBulk / directBulk);
        System.out.printf(l, "memory after the run (whole JVM, load generator included): heap used %.1f MB, "
                + "Netty direct %.1f MB, RSS %s%n", heap.getUsed() / 1e6, direct / 1e6, rss());
    }

    /** Returns this process's resident set size from {@code /proc}, or "n/a" elsewhere. */
    private static String rss() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return String.format(Locale.ROOT, "%.1f MB",
                            Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: no RSS figure.
        }
        return "n/a";
    }

    private static void row(String name, double p50, double p90, double p99, double max) {
        System.out.printf(Locale.ROOT, "%-18s%10.3f%10.3f%10.3f%10.3f%n", name, p50, p90, p99, max);
    }
}
