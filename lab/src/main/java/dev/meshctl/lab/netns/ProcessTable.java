package dev.meshctl.lab.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what the kernel knows about a pod's process: whether it is still the process we started (pid plus start
 * time, so a reused pid is not mistaken for it) and which TCP ports listen in its network namespace
 * ({@code /proc/PID/net/tcp*} shows the sockets of the process's namespace).
 */
public final class ProcessTable {
  private static final String LISTEN = "0A";

  private ProcessTable() {}

  /** Returns the start time (clock ticks since boot) of {@code pid}, if it runs. */
  public static Optional<Long> startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may contain spaces and parentheses: fields after the last ')' are fixed
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      String state = fields[0];
      if ("Z".equals(state) || "X".equals(state)) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(fields[19]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Tells whether {@code pid} runs and is the process that started at {@code startTime}. */
  public static boolean alive(long pid, long startTime) {
    return pid > 0 && startTime(pid).map(t -> t == startTime).orElse(false);
  }

  /** Lists TCP ports in LISTEN state in the network namespace of {@code pid}. */
  public static Set<Integer> listeningPorts(long pid) {
    Set<Integer> ports = new HashSet<>();
    for (String table : List.of("tcp", "tcp6")) {
      try {
        ports.addAll(parseListening(Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))));
      } catch (IOException e) {
        // process gone or no IPv6: nothing listens there
      }
    }
    return ports;
  }

  /** Parses lines of /proc/net/tcp and returns the local ports of LISTEN sockets. */
  static Set<Integer> parseListening(List<String> lines) {
    Set<Integer> ports = new HashSet<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 4 || !f[0].endsWith(":")) {
        continue;
      }
      if (LISTEN.equals(f[3])) {
        String local = f[1];
        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
      }
    }
    return ports;
  }

  /** Stops {@code pid} (TERM, then KILL after {@code graceMillis}) if it is still the process we started. */
  public static void stop(long pid, long startTime, long graceMillis) {
    if (!alive(pid, startTime)) {
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return;
    }
    handle.get().destroy();
    long deadline = System.nanoTime() + graceMillis * 1_000_000;
    while (alive(pid, startTime) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (alive(pid, startTime)) {
      handle.get().destroyForcibly();
    }
  }
}
