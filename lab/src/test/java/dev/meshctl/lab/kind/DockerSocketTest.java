package dev.meshctl.lab.kind;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerSocketTest {
  @TempDir
  Path dir;

  @Test
  void reportsAMissingSocketAtOnce() {
    DockerSocket.Status s = DockerSocket.ping(dir.resolve("docker.sock"), Duration.ofSeconds(2));
    assertThat(s.up()).isFalse();
    assertThat(s.problem()).contains("no Docker socket");
  }

  @Test
  void readsDockerHost() {
    assertThat(DockerSocket.socket(Map.of())).isEqualTo(DockerSocket.DEFAULT);
    assertThat(DockerSocket.socket(Map.of("DOCKER_HOST", "unix:///tmp/d.sock"))).isEqualTo(Path.of("/tmp/d.sock"));
  }

  @Test
  void acceptsAnEngineThatAnswersThePing() throws Exception {
    assertThat(pingAgainst("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK").up()).isTrue();
  }

  @Test
  void refusesAnEngineThatAnswersWithAnError() throws Exception {
    DockerSocket.Status s = pingAgainst("HTTP/1.1 500 Internal Server Error\r\n\r\n");
    assertThat(s.up()).isFalse();
    assertThat(s.problem()).contains("500");
  }

  @Test
  void givesUpOnASilentSocketWithinTheTimeout() throws Exception {
    Path socket = dir.resolve("silent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      DockerSocket.Status s = DockerSocket.ping(socket, Duration.ofMillis(200));
      assertThat(s.up()).isFalse();
      assertThat(s.problem()).contains("did not answer");
    }
  }

  private DockerSocket.Status pingAgainst(String answer) throws Exception {
    Path socket = dir.resolve("fake.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread engine = new Thread(() -> {
        try (SocketChannel c = server.accept()) {
          c.read(ByteBuffer.allocate(256));
          c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
          // The test's assertion reports the outcome.
        }
      });
      engine.start();
      DockerSocket.Status s = DockerSocket.ping(socket, Duration.ofSeconds(5));
      engine.join(5000);
      return s;
    }
  }
}
