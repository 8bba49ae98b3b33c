package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentLogsTest {

  private static final Path LOGS = Path.of("/lab/logs");
  private static final List<String> NODES = List.of("node-1", "node-2");

  @Test
  void namesComponentsInKubectlHabit() {
    assertThat(ComponentLogs.component("node-agent")).contains("node-agent");
    assertThat(ComponentLogs.component("ds/ztunnel")).contains("node-agent");
    assertThat(ComponentLogs.component("deploy/istiod")).contains("control-plane");
    assertThat(ComponentLogs.component("control-plane")).contains("control-plane");
    assertThat(ComponentLogs.component("deploy/node-agent")).isEmpty();
    assertThat(ComponentLogs.component("productpage-v1-abc")).isEmpty();
  }

  @Test
  void nodeAgentLogsArePerNode() {
    assertThat(ComponentLogs.sources("node-agent", LOGS, NODES, null)).containsExactly(
        new ComponentLogs.Source("node-agent/node-1", LOGS.resolve("node-agent-node-1.log")),
        new ComponentLogs.Source("node-agent/node-2", LOGS.resolve("node-agent-node-2.log")));
    assertThat(ComponentLogs.sources("node-agent", LOGS, NODES, "node-2")).singleElement()
        .extracting(ComponentLogs.Source::file).isEqualTo(LOGS.resolve("node-agent-node-2.log"));
    assertThat(ComponentLogs.sources("control-plane", LOGS, NODES, null)).singleElement()
        .extracting(ComponentLogs.Source::file).isEqualTo(LOGS.resolve("control-plane.log"));
  }

  @Test
  void anUnknownNodeIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> ComponentLogs.sources("node-agent", LOGS, NODES, "node-9"))
        .isInstanceOf(CliException.class).hasMessageContaining("no node node-9").hasMessageContaining("node-1, node-2");
  }

  @Test
  void accessLogFilterAndTail() {
    List<String> lines = List.of("[main] INFO dev.meshctl.nodeagent.NodeAgent - started",
        "[nodeagent-1-2] INFO access - src.addr=10.244.1.4:1 direction=outbound",
        "[nodeagent-1-2] INFO access - src.addr=10.244.1.4:2 direction=inbound");
    assertThat(lines.stream().filter(ComponentLogs.filter(true)).toList()).hasSize(2);
    assertThat(lines.stream().filter(ComponentLogs.filter(false)).toList()).hasSize(3);
    assertThat(ComponentLogs.tail(lines, 1)).containsExactly(lines.get(2));
    assertThat(ComponentLogs.tail(lines, -1)).hasSize(3);
    assertThat(ComponentLogs.tail(lines, 10)).hasSize(3);
  }
}
