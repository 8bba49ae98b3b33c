package dev.meshctl.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.lab.LabException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartPlanTest {

  private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

  @Test
  void restartsEveryNodeInTheLabsOrderOrJustTheOneNamed() {
    assertThat(RestartPlan.of(NODES, Optional.empty()).nodes()).containsExactly("node-1", "node-2", "node-3");
    assertThat(RestartPlan.of(NODES, Optional.of("node-2")).nodes()).containsExactly("node-2");
  }

  @Test
  void refusesAnUnknownNodeNamingTheLabsNodes() {
    assertThatThrownBy(() -> RestartPlan.of(NODES, Optional.of("node-9")))
        .isInstanceOf(LabException.class)
        .hasMessageContaining("node-9").hasMessageContaining("node-1, node-2, node-3");
  }

  @Test
  void handsOffOnlyOnceTheSuccessorOwnsTheRules() {
    assertThat(RestartPlan.next(Optional.empty(), 42, true, false)).isEqualTo(RestartPlan.Step.WAIT);
    assertThat(RestartPlan.next(Optional.of(7L), 42, true, false))
        .as("the owner file still names the old agent").isEqualTo(RestartPlan.Step.WAIT);
    assertThat(RestartPlan.next(Optional.of(42L), 42, true, false)).isEqualTo(RestartPlan.Step.TOOK_OVER);
    assertThat(RestartPlan.next(Optional.of(42L), 42, true, true))
        .as("ownership wins over a deadline seen in the same poll").isEqualTo(RestartPlan.Step.TOOK_OVER);
  }

  @Test
  void keepsTheOldAgentWhenTheSuccessorDiesOrIsLate() {
    assertThat(RestartPlan.next(Optional.of(7L), 42, false, false)).isEqualTo(RestartPlan.Step.SUCCESSOR_EXITED);
    assertThat(RestartPlan.next(Optional.empty(), 42, true, true)).isEqualTo(RestartPlan.Step.TIMED_OUT);
  }
}
