package dev.meshctl.nodeagent.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a JDK HTTP server answering GET on exact paths; anything else is 404 or 405. One daemon thread is enough for
 * operator and scraper traffic and bounds what a flood of requests can take from the traffic path.
 */
public final class HttpEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);

  private final String name;
  private final HttpServer server;
  private final ExecutorService executor;

  private HttpEndpoint(String name, HttpServer server, ExecutorService executor) {
    this.name = name;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code routes} (exact path to handler) on {@code address}.
   *
   * @throws IOException naming the address if it cannot be bound
   */
  public static HttpEndpoint start(String name, InetSocketAddress address, Map<String, Supplier<Response>> routes)
      throws IOException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Map<String, Supplier<Response>> table = new TreeMap<>(Objects.requireNonNull(routes, "routes"));
    HttpServer server;
    try {
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new IOException("cannot listen for " + name + " on " + address + ": " + e.getMessage()
          + "; is another node agent running on this node?", e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name + "-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, table));
    server.start();
    return new HttpEndpoint(name, server, executor);
  }

  /** Returns the bound address (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void handle(HttpExchange exchange, Map<String, Supplier<Response>> routes) throws IOException {
    try {
      Response response;
      Supplier<Response> route = routes.get(exchange.getRequestURI().getPath());
      if (route == null) {
        response = Response.text(404, "not found; try one of " + routes.keySet());
      } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        response = Response.text(405, "only GET is allowed");
        exchange.getResponseHeaders().set("allow", "GET, HEAD");
      } else {
        try {
          response = route.get();
        } catch (RuntimeException e) {
          log.error("admin handler for {} failed", exchange.getRequestURI().getPath(), e);
          response = Response.text(500, "internal error: " + e);
        }
      }
      byte[] body = response.bytes();
      exchange.getResponseHeaders().set("content-type", response.contentType());
      exchange.getResponseHeaders().set("cache-control", "no-store");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } finally {
      exchange.close();
    }
  }

  @Override
  public String toString() {
    return name + "@" + address();
  }
}
