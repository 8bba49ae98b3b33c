package dev.meshctl.nodeagent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuccessionTest {

    static final RuleOwner OLD = new RuleOwner(100, 1_000);
    static final RuleOwner NEW = new RuleOwner(200, 2_000);

    @TempDir
    Path dir;

    @Test
    void aStoppingOwnerRemovesTheRules() {
        assertThat(Succession.onStop(Optional.of(OLD), OLD, o -> true)).isEqualTo(Succession.OnStop.REMOVE_RULES);
        assertThat(Succession.onStop(Optional.empty(), OLD, o -> true)).isEqualTo(Succession.OnStop.REMOVE_RULES);
    }

    @Test
    void aStoppingAgentWhoseSuccessorOwnsTheRulesHandsOff() {
        assertThat(Succession.onStop(Optional.of(NEW), OLD, o -> true)).isEqualTo(Succession.OnStop.HAND_OFF);
    }

    @Test
    void aSuccessorStoppedBeforeItTookOverLeavesTheRunningOwnersRules() {
        assertThat(Succession.onStop(Optional.of(OLD), NEW, Set.of(OLD)::contains))
                .isEqualTo(Succession.OnStop.HAND_OFF);
    }

    @Test
    void aDeadOwnerLeavesTheRulesToTheLastAgentStanding() {
        assertThat(Succession.onStop(Optional.of(NEW), OLD, o -> false)).isEqualTo(Succession.OnStop.REMOVE_RULES);
    }

    @Test
    void aSuccessorRelievesOnlyALiveOtherOwner() {
        assertThat(Succession.predecessor(Optional.of(OLD), NEW, o -> true)).contains(OLD);
        assertThat(Succession.predecessor(Optional.of(OLD), NEW, o -> false)).isEmpty();
        assertThat(Succession.predecessor(Optional.of(NEW), NEW, o -> true)).isEmpty();
        assertThat(Succession.predecessor(Optional.empty(), NEW, o -> true)).isEmpty();
    }

    @Test
    void ownerFileRoundTripsAndIgnoresGarbage() throws Exception {
        OwnerFile file = new OwnerFile(dir);
        assertThat(file.read()).isEmpty();
        file.write(OLD);
        assertThat(file.read()).contains(OLD);
        file.clear(NEW);
        assertThat(file.read()).as("a successor's record stays").contains(OLD);
        file.clear(OLD);
        assertThat(file.read()).isEmpty();
        Files.writeString(file.path(), "not an owner");
        assertThat(file.read()).isEmpty();
    }

    @Test
    void thisProcessIsAliveAndAnUnknownOneIsNot() {
        RuleOwner self = RuleOwner.self();
        assertThat(self.alive()).isTrue();
        assertThat(new RuleOwner(self.pid(), self.startMillis() + 1).alive()).as("a reused pid").isFalse();
        assertThat(new RuleOwner(self.pid(), self.startMillis() + 1).terminate()).isFalse();
        assertThat(RuleOwner.parse(self.format())).contains(self);
        assertThatThrownBy(() -> new RuleOwner(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
