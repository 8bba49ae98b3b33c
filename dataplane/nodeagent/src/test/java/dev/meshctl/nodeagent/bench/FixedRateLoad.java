package dev.meshctl.nodeagent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends request/response exchanges at a fixed total rate over a few connections (header write then body write) and
 * records each latency from its scheduled start, so a stall delays the requests queued behind it too (no
 * coordinated omission).
 */
final class FixedRateLoad {

    /** Latency percentiles in milliseconds and the counts behind them. */
    record Result(long requests, long errors, double rate, double p50, double p90, double p99, double max) {
    }

    private FixedRateLoad() {
    }

    /** Runs {@code rate} exchanges per second for {@code seconds} over {@code sockets}, one thread each. */
    static Result run(List<Socket> sockets, int rate, double seconds, int body) throws InterruptedException {
        int n = sockets.size();
        long intervalNanos = 1_000_000_000L * n / rate;
        int perConnection = (int) (seconds * rate / n);
        long[][] latencies = new long[n][perConnection];
        long[] errors = new long[n];
        int[] done = new int[n];
        long start = System.nanoTime() + 20_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int id = c;
            // Staggers the connections so they do not all send at the same instant.
            long offset = intervalNanos * c / n;
            Thread t = new Thread(() -> {
                Socket s = sockets.get(id);
                byte[] header = new byte[Upstreams.HEADER];
                byte[] payload = new byte[body];
                byte[] response = new byte[Upstreams.HEADER + body];
                try {
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    for (int i = 0; i < perConnection; i++) {
                        long due = start + offset + i * intervalNanos;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait); // pacing the load, not waiting for a result
                        }
                        out.write(header);
                        out.flush();
                        out.write(payload);
                        out.flush();
                        if (!Upstreams.readFully(in, response)) {
                            throw new IOException("EOF");
                        }
                        latencies[id][i] = System.nanoTime() - due;
                        done[id]++;
                    }
                } catch (IOException e) {
                    errors[id]++;
                }
            }, "load-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(done).sum();
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < n; c++) {
            System.arraycopy(latencies[c], 0, all, k, done[c]);
            k += done[c];
        }
        Arrays.sort(all);
        return new Result(total, Arrays.stream(errors).sum(), total / elapsed, pct(all, 0.50), pct(all, 0.90),
                pct(all, 0.99), all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
