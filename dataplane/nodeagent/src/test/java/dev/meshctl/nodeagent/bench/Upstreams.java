package dev.meshctl.nodeagent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server pod's two blocking servers: an HTTP-like responder (reads a request of a fixed size, answers with a
 * header write and a body write, as an HTTP server does) and a sink that discards everything (like iperf3's server).
 */
final class Upstreams implements AutoCloseable {

    /** Bytes of the header part of each request and response. */
    static final int HEADER = 128;

    private final int body;
    private final ServerSocket responder;
    private final ServerSocket sink;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Upstreams(String ip, int body) throws IOException {
        this.body = body;
        responder = listen(ip);
        sink = listen(ip);
        start("responder", responder, this::respond);
        start("sink", sink, Upstreams::discard);
    }

    InetSocketAddress responder() {
        return (InetSocketAddress) responder.getLocalSocketAddress();
    }

    InetSocketAddress sink() {
        return (InetSocketAddress) sink.getLocalSocketAddress();
    }

    private static ServerSocket listen(String ip) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0), 128);
        return s;
    }

    private interface Serve {
        void serve(Socket s) throws IOException;
    }

    private void start(String name, ServerSocket server, Serve serve) {
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    sockets.add(s);
                    Thread t = new Thread(() -> {
                        try (s) {
                            serve.serve(s);
                        } catch (IOException e) {
                            // Peer went away.
                        }
                    }, name + "-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, name + "-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private void respond(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] request = new byte[HEADER + body];
        byte[] header = new byte[HEADER];
        byte[] response = new byte[body];
        while (readFully(in, request)) {
            out.write(header);
            out.flush();
            out.write(response);
            out.flush();
        }
    }

    private static void discard(Socket s) throws IOException {
        s.setReceiveBufferSize(1 << 20);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[128 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            total += n;
        }
        // Tells the sender how much arrived, so it can time the transfer at the receiving end.
        s.getOutputStream().write(Long.toString(total).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Reads exactly {@code buf.length} bytes; returns false on a clean EOF before the first byte. */
    static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int read = 0;
        while (read < buf.length) {
            int n = in.read(buf, read, buf.length - read);
            if (n < 0) {
                if (read == 0) {
                    return false;
                }
                throw new IOException("EOF after " + read + " of " + buf.length + " bytes");
            }
            read += n;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        responder.close();
        sink.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
