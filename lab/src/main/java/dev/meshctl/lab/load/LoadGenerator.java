package dev.meshctl.lab.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends HTTP/1.1 POSTs at a fixed total rate over a fixed number of keep-alive connections, and measures each
 * request's latency from the time it was scheduled to be sent (so a stall is charged to every request it delays).
 */
public final class LoadGenerator {

  /** Configures a run. */
  public record Settings(URI url, int rate, int connections, double seconds, int bodyBytes) {}

  /** Reports a run. */
  public record Report(long requests, long errors, double seconds, double p50, double p90, double p99, double max) {
    public String json() {
      return String.format(Locale.ROOT, "{\"requests\":%d,\"errors\":%d,\"seconds\":%.2f,\"rate\":%.1f,"
          + "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}", requests, errors, seconds,
          requests / seconds, p50, p90, p99, max);
    }
  }

  private LoadGenerator() {}

  /** Runs the load and returns latency percentiles in milliseconds. */
  public static Report run(Settings s) throws InterruptedException {
    long intervalNanos = (long) (1e9 * s.connections() / s.rate());
    long perConnection = (long) (s.seconds() * s.rate() / s.connections());
    long[][] latencies = new long[s.connections()][];
    AtomicLong errors = new AtomicLong();
    byte[] request = request(s.url(), s.bodyBytes());
    long start = System.nanoTime() + 50_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < s.connections(); c++) {
      int id = c;
      Thread t = new Thread(() -> latencies[id] = connection(s.url(), request, start + id * intervalNanos
          / s.connections(), intervalNanos, perConnection, errors), "load-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).filter(v -> v >= 0).sorted().toArray();
    double secs = (System.nanoTime() - start) / 1e9;
    return new Report(all.length, errors.get(), secs, pct(all, 50), pct(all, 90), pct(all, 99),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static long[] connection(URI url, byte[] request, long first, long interval, long count, AtomicLong errors) {
    long[] lat = new long[(int) count];
    Arrays.fill(lat, -1);
    Socket socket = null;
    InputStream in = null;
    OutputStream out = null;
    for (int i = 0; i < count; i++) {
      long due = first + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      try {
        if (socket == null) {
          socket = new Socket();
          socket.setTcpNoDelay(true);
          socket.connect(new InetSocketAddress(url.getHost(), port(url)), 5000);
          socket.setSoTimeout(10_000);
          in = new BufferedInputStream(socket.getInputStream(), 16384);
          out = socket.getOutputStream();
        }
        out.write(request);
        out.flush();
        readResponse(in);
        lat[i] = System.nanoTime() - due;
      } catch (IOException e) {
        errors.incrementAndGet();
        closeQuietly(socket);
        socket = null;
      }
    }
    closeQuietly(socket);
    return lat;
  }

  static byte[] request(URI url, int bodyBytes) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + port(url)
        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + bodyBytes + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(h, h.length + bodyBytes);
    Arrays.fill(all, h.length, all.length, (byte) 'x');
    return all;
  }

  /** Reads one response with a Content-Length body; fails on anything but a 2xx status. */
  static void readResponse(InputStream in) throws IOException {
    String status = line(in);
    if (!status.startsWith("HTTP/1.1 2") && !status.startsWith("HTTP/1.0 2")) {
      throw new IOException("unexpected status: " + status);
    }
    long length = -1;
    String h;
    while (!(h = line(in)).isEmpty()) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        length = Long.parseLong(h.substring(colon + 1).trim());
      }
    }
    if (length < 0) {
      throw new IOException("response without Content-Length");
    }
    long skipped = 0;
    while (skipped < length) {
      long n = in.skip(length - skipped);
      if (n <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed mid-body");
        }
        n = 1;
      }
      skipped += n;
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append((char) c);
    }
    throw new IOException("connection closed");
  }

  private static int port(URI url) {
    return url.getPort() > 0 ? url.getPort() : 80;
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }
}
