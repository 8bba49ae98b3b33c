package dev.meshctl.core.hbone;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A blocking TCP echo server that, on EOF, answers {@link #EOF_MARKER} and closes: shows half-close works. */
final class EchoUpstream implements AutoCloseable {

    static final byte[] EOF_MARKER = "<EOF>".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-upstream");
        t.setDaemon(true);
        return t;
    });
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger eofs = new AtomicInteger();

    EchoUpstream() throws IOException {
        server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                threads.execute(() -> echo(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
                out.flush();
            }
            eofs.incrementAndGet();
            out.write(EOF_MARKER);
            out.flush();
        } catch (IOException e) {
            // Peer reset: nothing to echo to.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
