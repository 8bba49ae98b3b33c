package dev.meshctl.workshops.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Runs scripts with {@code bash -c} in a given directory and environment, killing them when they overrun. */
public final class ShellExecutor implements CommandExecutor {
  private final Map<String, String> env;
  private final Path directory;

  /**
   * @param env the whole environment of the scripts (put the {@code meshctl} wrapper's folder first on PATH)
   * @param directory where scripts run, usually the repository root
   */
  public ShellExecutor(Map<String, String> env, Path directory) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  @Override
  public ExecResult run(String script, Duration timeout) {
    Objects.requireNonNull(script, "script");
    Path out = null;
    Path err = null;
    try {
      // Files, not pipes: a chatty script can then never block on a full pipe while we wait for it.
      out = Files.createTempFile("meshctl-check", ".out");
      err = Files.createTempFile("meshctl-check", ".err");
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(directory.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      Process process = pb.start();
      boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (!done) {
        return new ExecResult(ExecResult.TIMEOUT_EXIT, stdout,
            stderr + "\n(timed out after " + timeout.toSeconds() + "s: " + script + ")", true);
      }
      return ExecResult.of(process.exitValue(), stdout, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run bash (is it installed?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ExecResult(130, "", "interrupted", false);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a leftover temp file is harmless
      }
    }
  }
}
