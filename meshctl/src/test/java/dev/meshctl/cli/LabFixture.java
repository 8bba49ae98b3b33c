package dev.meshctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.LabHome;
import dev.meshctl.lab.LabProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Owns one lab for an end-to-end test class: a private MESHCTL_HOME, a unique lab name, meshctl run in-process,
 * commands inside pods and nodes, and a {@link #close()} that takes the lab down and removes the home.
 */
final class LabFixture implements AutoCloseable {
  final String lab;
  final Path home;
  final Path repo;
  private final CliRun cli;

  LabFixture(String prefix) throws IOException {
    lab = prefix + Integer.toString(new Random().nextInt(1 << 20), 36);
    home = Files.createTempDirectory("meshctl-" + prefix);
    repo = Path.of(System.getProperty("user.dir")).getParent();
    cli = new CliRun(home);
  }

  /** Runs meshctl on this lab. */
  CliRun.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("--lab", lab));
    all.addAll(List.of(args));
    return cli.run(all.toArray(String[]::new));
  }

  /** Runs meshctl on this lab and asserts it exits 0. */
  CliRun.Result ok(String... args) {
    CliRun.Result r = run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  /** Runs meshctl on this lab and asserts it fails. */
  CliRun.Result fails(String... args) {
    CliRun.Result r = run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isNotZero();
    return r;
  }

  Cluster cluster() {
    return new LabProviders(new LabHome(home)).open(lab);
  }

  Path sample(String relative) {
    return repo.resolve("samples").resolve(relative);
  }

  /** Captures what a command printed and how it exited. */
  record Exec(int exit, String out) {}

  /** Runs {@code command} inside a pod ({@code POD} or {@code deploy/NAME}) of {@code namespace}. */
  Exec inPod(String namespace, String target, String... command) throws Exception {
    Cluster c = cluster();
    Process p = c.exec(namespace, c.resolvePod(namespace, target), List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Exec(p.exitValue(), out);
  }

  /** Repeats {@code attempt} until {@code done} holds or 20 s pass; returns the last result. */
  static <T> T eventually(Attempt<T> attempt, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    T last;
    do {
      last = attempt.run();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return last;
  }

  /** One try of something that may need repeating. */
  @FunctionalInterface
  interface Attempt<T> {
    T run() throws Exception;
  }

  /** Runs {@code command} inside node {@code node}'s namespace (node is "node-N") and returns its output. */
  String inNode(String node, String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", "mc-" + lab + "-node" + node.substring(5)));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(20, TimeUnit.SECONDS);
    return out;
  }

  /** Takes the lab down (even half-built) and deletes the home directory. */
  @Override
  public void close() throws IOException {
    run("lab", "down");
    deleteTree(home);
  }

  /** Deletes a directory tree, quietly when it is already gone. */
  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
