package dev.meshctl.nodeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.api.discovery.ProxyType;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.nodeagent.identity.LocalCa;
import io.grpc.Metadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneConnectionTest {

  @TempDir
  Path dir;

  @Test
  void theNodeAgentPresentsItselfByNodeName() {
    var node = XdsConfigSource.node("node-1");
    assertThat(node.getId()).isEqualTo("node-agent~node-1");
    assertThat(node.getNodeName()).isEqualTo("node-1");
    assertThat(node.getType()).isEqualTo(ProxyType.NODE_AGENT);
  }

  @Test
  void opensAChannelWithTheRootAndToken() throws Exception {
    Path root = dir.resolve("root.pem");
    Path token = dir.resolve("token");
    Files.writeString(root, Pem.encodeCertificate(
        LocalCa.selfSigned("cluster.local", Duration.ofHours(1), Clock.systemUTC()).root()));
    Files.writeString(token, "abc123\n");
    try (ControlPlaneConnection cp = ControlPlaneConnection.open("127.0.0.1:1", root, token)) {
      assertThat(cp.target()).isEqualTo("127.0.0.1:1");
      assertThat(cp.token().read()).isEqualTo("abc123");
      assertThat(cp.channel()).isNotNull();
    }
  }

  @Test
  void namesTheFileThatIsWrong() throws Exception {
    Path root = dir.resolve("root.pem");
    Path token = dir.resolve("token");
    Files.writeString(root, "not a certificate");
    assertThatThrownBy(() -> ControlPlaneConnection.open("127.0.0.1:1", root, token))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node token file " + token);
    Files.writeString(token, "   \n");
    assertThatThrownBy(() -> ControlPlaneConnection.open("127.0.0.1:1", root, token))
        .hasMessageContaining("is empty");
    Files.writeString(token, "abc");
    assertThatThrownBy(() -> ControlPlaneConnection.open("127.0.0.1:1", root, token))
        .hasMessageContaining(root.toString()).hasMessageContaining("--root-cert");
  }

  @Test
  void attachesTheBearerHeaderReadFreshFromTheFile() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "first");
    BearerToken credentials = new BearerToken(token);
    assertThat(credentials.read()).isEqualTo("first");
    Files.writeString(token, "second");
    Metadata[] applied = new Metadata[1];
    credentials.applyRequestMetadata(null, Runnable::run, new io.grpc.CallCredentials.MetadataApplier() {
      @Override
      public void apply(Metadata headers) {
        applied[0] = headers;
      }

      @Override
      public void fail(io.grpc.Status status) {
        throw new AssertionError(status.toString());
      }
    });
    assertThat(applied[0].get(BearerToken.AUTHORIZATION)).isEqualTo("Bearer second");
  }
}
