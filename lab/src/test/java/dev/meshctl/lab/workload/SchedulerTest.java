package dev.meshctl.lab.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private final List<String> nodes = List.of("node-1", "node-2", "node-3");

  @Test
  void prefersNodesWithoutSiblingsThenTheLeastLoaded() {
    assertThat(Scheduler.choose(nodes, Map.of(), Map.of())).isEqualTo("node-1");
    assertThat(Scheduler.choose(nodes, Map.of("node-1", 1), Map.of())).isEqualTo("node-2");
    assertThat(Scheduler.choose(nodes, Map.of("node-1", 1, "node-2", 5, "node-3", 1),
        Map.of("node-1", 1))).isEqualTo("node-3");
    assertThat(Scheduler.choose(nodes, Map.of("node-1", 0, "node-2", 9, "node-3", 9),
        Map.of("node-1", 1, "node-2", 0, "node-3", 0))).isEqualTo("node-2");
  }
}
