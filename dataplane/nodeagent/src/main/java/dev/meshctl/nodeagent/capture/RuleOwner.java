package dev.meshctl.nodeagent.capture;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Names the agent process that owns a node's capture rules: its pid and the moment it started, so that a pid the
 * kernel reused for another process is not mistaken for the owner.
 *
 * @param pid the agent's process id
 * @param startMillis the process start time in epoch milliseconds, as the kernel reports it
 */
public record RuleOwner(long pid, long startMillis) {

    /** Checks that the pid is positive. */
    public RuleOwner {
        if (pid < 1) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
    }

    /** Returns this process. */
    public static RuleOwner self() {
        return of(ProcessHandle.current()).orElseThrow(() ->
                new IllegalStateException("BUG: this process has no start time"));
    }

    /** Returns the owner record of {@code process}, empty if the kernel no longer knows its start time. */
    public static Optional<RuleOwner> of(ProcessHandle process) {
        Objects.requireNonNull(process, "process");
        return process.info().startInstant().map(start -> new RuleOwner(process.pid(), start.toEpochMilli()));
    }

    /** Returns whether this very process still runs. */
    public boolean alive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(RuleOwner::of).map(this::equals)
                .orElse(false);
    }

    /** Asks the process to stop (SIGTERM) if it is still this owner; returns whether it was asked. */
    public boolean terminate() {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(p -> of(p).map(this::equals).orElse(false));
        return process.map(ProcessHandle::destroy).orElse(false);
    }

    /** Returns the one-line form kept in the owner file: {@code <pid> <startMillis>}. */
    public String format() {
        return pid + " " + startMillis;
    }

    /** Parses {@link #format()}; empty for anything else (a torn or foreign file is no owner). */
    public static Optional<RuleOwner> parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.strip().split(" ");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(new RuleOwner(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "pid " + pid + " (started " + Instant.ofEpochMilli(startMillis) + ")";
    }
}
