package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.lab.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeleteCommandTest {

  @Test
  void ignoreNotFoundDropsOnlyMissingObjects() {
    Outcome outcome = new Outcome(List.of("deployment.apps/curl deleted"),
        List.of("authorizationpolicy/allow-curl not found", "namespace/default: the default namespace cannot be deleted"));
    Outcome filtered = DeleteCommand.withoutNotFound(outcome);
    assertThat(filtered.done()).containsExactly("deployment.apps/curl deleted");
    assertThat(filtered.failed()).containsExactly("namespace/default: the default namespace cannot be deleted");
    assertThat(DeleteCommand.withoutNotFound(new Outcome(List.of(), List.of("service/x not found"))).ok()).isTrue();
  }
}
