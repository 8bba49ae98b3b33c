package dev.meshctl.lab.kind;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Checks in well under a second whether a Docker engine answers on its socket, before anything slower (docker-java,
 * Testcontainers, kind) tries and times out.
 */
public final class DockerSocket {
  /** Where Docker listens unless {@code DOCKER_HOST} says otherwise. */
  public static final Path DEFAULT = Path.of("/var/run/docker.sock");
  /** What to do when Docker is not there. */
  public static final String HINT = "start a Docker engine (e.g. `sudo systemctl start docker`) or point DOCKER_HOST"
      + " at one; without Docker use the netns provider: `meshctl lab up --provider netns`";

  private DockerSocket() {}

  /** Says whether Docker answered, and if not, why. */
  public record Status(boolean up, String where, String problem) {}

  /** Returns the socket that {@code DOCKER_HOST} names ({@code unix://PATH}), or the default one. */
  public static Path socket(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String host = env.get("DOCKER_HOST");
    if (host != null && host.startsWith("unix://")) {
      return Path.of(host.substring("unix://".length()));
    }
    return DEFAULT;
  }

  /** Pings the engine at {@code socket} ({@code GET /_ping}), waiting at most {@code timeout}. */
  public static Status ping(Path socket, Duration timeout) {
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(timeout, "timeout");
    String where = "unix://" + socket;
    if (!Files.exists(socket)) {
      return new Status(false, where, "no Docker socket at " + socket);
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      ByteBuffer buffer = ByteBuffer.allocate(256);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (buffer.position() < 12) {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        if (System.nanoTime() > deadline || selector.select(left) == 0 && System.nanoTime() > deadline) {
          return new Status(false, where, "Docker at " + socket + " did not answer within " + timeout.toMillis() + "ms");
        }
        selector.selectedKeys().clear();
        if (channel.read(buffer) < 0) {
          break;
        }
      }
      String head = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
      return head.startsWith("HTTP/1.") && head.contains(" 200")
          ? new Status(true, where, "")
          : new Status(false, where, "Docker at " + socket + " answered the ping with: " + head.lines().findFirst()
              .orElse("nothing"));
    } catch (IOException e) {
      return new Status(false, where, "cannot reach Docker at " + socket + ": " + e.getMessage());
    }
  }

  /** Pings the engine this environment points at, with a short timeout. */
  public static Status ping(Map<String, String> env) {
    return ping(socket(env), Duration.ofSeconds(2));
  }
}
