package dev.meshctl.nodeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAgentOptionsTest {

  @Test
  void parsesXdsModeWithDefaults() {
    NodeAgentOptions o = NodeAgentOptions.fromArgs(new String[] {"--node-name", "node-1", "--node-ip=172.18.0.3",
        "--control-plane", "172.18.0.2:15012", "--token-file", "/t", "--root-cert", "/r"}, Map.of());
    assertThat(o.staticMode()).isFalse();
    assertThat(o.controlPlane()).contains("172.18.0.2:15012");
    assertThat(o.tokenFile()).contains(Path.of("/t"));
    assertThat(o.trustDomain()).isEqualTo("cluster.local");
    assertThat(o.outboundPort()).isEqualTo(15001);
    assertThat(o.inboundPlaintextPort()).isEqualTo(15006);
    assertThat(o.hbonePort()).isEqualTo(15008);
    assertThat(o.admin().getPort()).isEqualTo(15000);
    assertThat(o.admin().getAddress().isLoopbackAddress()).isTrue();
    assertThat(o.metrics().getPort()).isEqualTo(15020);
    assertThat(o.readiness().getPort()).isEqualTo(15021);
    assertThat(o.capture()).isTrue();
  }

  @Test
  void takesNodeNameAndIpFromTheEnvironment() {
    NodeAgentOptions o = NodeAgentOptions.fromArgs(new String[] {"--static-config", "/m.yaml", "--ca-dir", "/ca",
        "--capture", "false"}, Map.of("NODE_NAME", "node-2", "NODE_IP", "10.0.0.2"));
    assertThat(o.nodeName()).isEqualTo("node-2");
    assertThat(o.nodeIp()).isEqualTo("10.0.0.2");
    assertThat(o.staticMode()).isTrue();
    assertThat(o.capture()).isFalse();
  }

  @Test
  void refusesIncompleteOrContradictoryArguments() {
    String[] base = {"--node-name", "n", "--node-ip", "10.0.0.1"};
    assertThatThrownBy(() -> parse(base)).hasMessageContaining("exactly one of --control-plane");
    assertThatThrownBy(() -> parse(base, "--control-plane", "cp:15012", "--root-cert", "/r"))
        .hasMessageContaining("--token-file");
    assertThatThrownBy(() -> parse(base, "--control-plane", "cp:15012", "--token-file", "/t"))
        .hasMessageContaining("--root-cert");
    assertThatThrownBy(() -> parse(base, "--control-plane", "cp", "--token-file", "/t", "--root-cert", "/r"))
        .hasMessageContaining("'cp' is not HOST:PORT");
    assertThatThrownBy(() -> parse(base, "--static-config", "/m")).hasMessageContaining("--ca-dir");
    assertThatThrownBy(() -> parse(base, "--static-config", "/m", "--ca-dir", "/c", "--hbone-port", "70000"))
        .hasMessageContaining("--hbone-port '70000'");
    assertThatThrownBy(() -> parse(base, "--static-config", "/m", "--ca-dir", "/c", "--capture", "yes"))
        .hasMessageContaining("--capture must be true or false");
    assertThatThrownBy(() -> parse(base, "--static-config", "/m", "--ca-dir", "/c", "--admin", "0.0.0.0:15000"))
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> parse(base, "--frobnicate", "1")).hasMessageContaining("unknown option --frobnicate")
        .hasMessageContaining("usage:");
    assertThatThrownBy(() -> parse(new String[] {"--node-ip", "1.2.3.4"}, "--static-config", "/m", "--ca-dir", "/c"))
        .hasMessageContaining("NODE_NAME");
    assertThatThrownBy(() -> parse(base, "--static-config")).hasMessageContaining("--static-config needs a value");
  }

  private static NodeAgentOptions parse(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return NodeAgentOptions.fromArgs(all, Map.of());
  }

  @Test
  void parsesTheHandOffAndCertificateLifetimeFlags() {
    NodeAgentOptions o = NodeAgentOptions.fromArgs(new String[] {"--node-name", "node-1", "--node-ip=172.18.0.3",
        "--control-plane", "172.18.0.2:15012", "--token-file", "/t", "--root-cert", "/r", "--runtime-dir", "/run/m",
        "--take-over", "true", "--drain-timeout", "45s", "--workload-cert-ttl", "2m"}, Map.of());
    assertThat(o.lifecycle().takeOver()).isTrue();
    assertThat(o.lifecycle().runtimeDir()).contains(Path.of("/run/m"));
    assertThat(o.lifecycle().drainTimeout()).isEqualTo(java.time.Duration.ofSeconds(45));
    assertThat(o.lifecycle().workloadCertTtl()).contains(java.time.Duration.ofMinutes(2));
    assertThat(NodeAgentOptions.fromArgs(new String[] {"--node-name", "node-1", "--node-ip=172.18.0.3",
        "--control-plane", "172.18.0.2:15012", "--token-file", "/t", "--root-cert", "/r"}, Map.of()).lifecycle())
        .isEqualTo(NodeAgentOptions.Lifecycle.defaults());
  }

  @Test
  void refusesATakeOverWithoutRuntimeDirAndBadDurations() {
    String[] base = {"--node-name", "node-1", "--node-ip=172.18.0.3", "--control-plane", "172.18.0.2:15012",
        "--token-file", "/t", "--root-cert", "/r"};
    assertThatThrownBy(() -> NodeAgentOptions.fromArgs(concat(base, "--take-over", "true"), Map.of()))
        .hasMessageContaining("--runtime-dir");
    assertThatThrownBy(() -> NodeAgentOptions.fromArgs(concat(base, "--drain-timeout", "soon"), Map.of()))
        .hasMessageContaining("--drain-timeout").hasMessageContaining("soon");
    assertThatThrownBy(() -> NodeAgentOptions.fromArgs(concat(base, "--workload-cert-ttl", "30s"), Map.of()))
        .hasMessageContaining("too short").hasMessageContaining("2m");
  }

  @Test
  void durationsRoundTripThroughTheirTextForm() {
    for (String text : new String[] {"500ms", "30s", "2m", "1h", "1d"}) {
      assertThat(NodeAgentOptions.format(NodeAgentOptions.parseDuration("--x", text))).isEqualTo(text);
    }
    assertThat(NodeAgentOptions.parseDuration("--x", "90")).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThatThrownBy(() -> NodeAgentOptions.checkWorkloadCertTtl(java.time.Duration.ofDays(91)))
        .hasMessageContaining("too long");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
