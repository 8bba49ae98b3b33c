package dev.meshctl.core.hbone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Blocking socket helpers for tests; every read is bounded by a socket timeout. */
final class Sockets {

    static final int TIMEOUT_MS = 15_000;

    private Sockets() {
    }

    /** Sends {@code payload}, half-closes, and returns everything received until the peer closes. */
    static byte[] exchange(InetSocketAddress address, byte[] payload) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address, TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(payload);
                    out.flush();
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] received = readAll(s.getInputStream());
            writer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return received;
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads exactly {@code n} bytes. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(out, off, n - off);
            if (r == -1) {
                throw new IOException("EOF after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Polls {@code condition} until it holds or {@code timeoutMs} passed; returns whether it held. */
    static boolean eventually(java.util.function.BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return condition.getAsBoolean();
    }
}
