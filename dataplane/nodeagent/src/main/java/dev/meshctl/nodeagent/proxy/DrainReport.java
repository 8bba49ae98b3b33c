package dev.meshctl.nodeagent.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * Describes how an agent's hand-off drain went.
 *
 * @param openAtStart connections open when the agent stopped accepting
 * @param hboneToldToMove inbound HBONE connections that got a GOAWAY
 * @param resetAtDeadline connections still open at the drain deadline, which were reset
 * @param took how long the drain lasted
 */
public record DrainReport(int openAtStart, int hboneToldToMove, int resetAtDeadline, Duration took) {

    /** Checks the counts. */
    public DrainReport {
        Objects.requireNonNull(took, "took");
        if (openAtStart < 0 || hboneToldToMove < 0 || resetAtDeadline < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    @Override
    public String toString() {
        return openAtStart + " connection(s) open at hand-off, " + hboneToldToMove
                + " HBONE connection(s) sent GOAWAY, " + resetAtDeadline + " reset at the drain deadline; drained in "
                + took.toMillis() + " ms";
    }
}
