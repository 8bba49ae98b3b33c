package dev.meshctl.nodeagent.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes, with a time limit so a stuck iptables lock cannot hang the agent. */
public final class ProcessRunner implements CommandRunner {

    private final Duration timeout;

    /** Creates a runner that kills a command still running after {@code timeout}. */
    public ProcessRunner(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Creates a runner with a 10 s limit per command. */
    public ProcessRunner() {
        this(Duration.ofSeconds(10));
    }

    @Override
    public Result run(List<String> command, String stdin) throws IOException {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(stdin, "stdin");
        // Output goes to a file, not a pipe: a command that never exits must not block the read past the time limit.
        Path output = Files.createTempFile("meshctl-cmd", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), e);
            }
            return new Result(process.exitValue(), Files.readString(output).strip());
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
