package dev.meshctl.nodeagent.capture;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** Runs one system command (iptables-restore, ip) with optional standard input; injectable so rules are testable. */
@FunctionalInterface
public interface CommandRunner {

    /** Runs {@code command} feeding it {@code stdin} (empty for none) and returns how it ended. */
    Result run(List<String> command, String stdin) throws IOException;

    /** How a command ended: its exit code and its combined output. */
    record Result(int exitCode, String output) {
        /** Checks the output is present. */
        public Result {
            Objects.requireNonNull(output, "output");
        }

        /** Returns whether the command exited with 0. */
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
