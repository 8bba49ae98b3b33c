package dev.meshctl.lab.netns;

import dev.meshctl.lab.LabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs host commands (ip, iptables) and turns failures into errors that name the command and its output. */
public final class CommandRunner {
  private static final long TIMEOUT_SECONDS = 30;

  /** Captures what a finished command printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code command}, feeding {@code stdin} when not null; never throws on a non-zero exit. */
  public Result run(List<String> command, String stdin) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new LabException("cannot run '" + command.get(0) + "': " + e.getMessage()
          + " — is it installed? (`meshctl check --pre` lists what the lab needs)", e);
    }
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the command may exit before reading its input; its exit code tells what happened
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new LabException("command timed out after " + TIMEOUT_SECONDS + "s: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new LabException("interrupted while running: " + String.join(" ", command), e);
    }
  }

  /** Runs {@code command} and throws a {@link LabException} naming it when it fails. */
  public String check(List<String> command) {
    return check(command, null);
  }

  /** Runs {@code command} with {@code stdin} and throws a {@link LabException} naming it when it fails. */
  public String check(List<String> command, String stdin) {
    Result r = run(command, stdin);
    if (!r.ok()) {
      throw new LabException("command failed (exit " + r.exitCode() + "): " + String.join(" ", command)
          + (r.stderr().isBlank() ? "" : "\n  " + r.stderr().strip()));
    }
    return r.stdout();
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }
}
