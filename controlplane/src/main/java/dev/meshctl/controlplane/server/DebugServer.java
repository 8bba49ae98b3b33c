package dev.meshctl.controlplane.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves the control plane's readiness and debug views on a loopback HTTP port: {@code /ready},
 * {@code /debug/syncz} (what each connected proxy has acknowledged versus what it should have), {@code /debug/ca},
 * {@code /debug/waypoints} (every waypoint binding, ready or not and why).
 */
final class DebugServer {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .findAndRegisterModules();
  private final ControlPlane controlPlane;
  private HttpServer http;

  DebugServer(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  void start(InetSocketAddress address) throws IOException {
    http = HttpServer.create(address, 16);
    http.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "debug-http");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/ready", ex -> send(ex, controlPlane.generation() > 0 ? 200 : 503,
        controlPlane.generation() > 0 ? "ready\n" : "not ready: no translation yet\n", "text/plain"));
    http.createContext("/debug/syncz", ex -> json(ex, SyncStatus.of(controlPlane)));
    http.createContext("/debug/ca", ex -> json(ex, CaStatus.of(controlPlane.ca())));
    http.createContext("/debug/waypoints", ex -> json(ex, java.util.Map.of("bindings",
        controlPlane.translator() instanceof MeshTranslation t && t.last() != null ? t.last().bindings()
            : java.util.List.of())));
    http.start();
  }

  void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  private static void json(HttpExchange ex, Object body) throws IOException {
    send(ex, 200, JSON.writeValueAsString(body) + "\n", "application/json");
  }

  private static void send(HttpExchange ex, int status, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
