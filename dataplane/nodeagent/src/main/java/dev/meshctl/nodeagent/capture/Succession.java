package dev.meshctl.nodeagent.capture;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides who owns a node's capture rules when agents overlap during a rolling restart. The rules must always be
 * owned by exactly one live agent: a stopping agent removes them only when no other live agent owns them, and a
 * successor relieves its predecessor only once it has taken ownership.
 *
 * <p>Pure: the recorded owner and the liveness test come from the caller.
 */
public final class Succession {

    /** What a stopping agent does with the capture rules. */
    public enum OnStop {
        /** No other live agent owns the rules: remove them, the node leaves the mesh. */
        REMOVE_RULES,
        /** Another live agent owns the rules: hand off (stop accepting, drain) and leave the rules in place. */
        HAND_OFF
    }

    private Succession() {
    }

    /**
     * Returns what agent {@code self} does with the rules when it stops, given the {@code recorded} owner.
     *
     * @param alive tells whether a recorded owner still runs
     */
    public static OnStop onStop(Optional<RuleOwner> recorded, RuleOwner self, Predicate<RuleOwner> alive) {
        return predecessorOrSuccessor(recorded, self, alive).isPresent() ? OnStop.HAND_OFF : OnStop.REMOVE_RULES;
    }

    /**
     * Returns the agent a successor {@code self} must relieve once it is ready: the recorded owner if that is another
     * live process; empty when there is none (the successor simply becomes the owner).
     */
    public static Optional<RuleOwner> predecessor(Optional<RuleOwner> recorded, RuleOwner self,
                                                  Predicate<RuleOwner> alive) {
        return predecessorOrSuccessor(recorded, self, alive);
    }

    private static Optional<RuleOwner> predecessorOrSuccessor(Optional<RuleOwner> recorded, RuleOwner self,
                                                              Predicate<RuleOwner> alive) {
        Objects.requireNonNull(recorded, "recorded");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(alive, "alive");
        return recorded.filter(owner -> !owner.equals(self)).filter(alive);
    }
}
