package dev.meshctl.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Maps the names people use for the mesh's own components, in kubectl's habit, to the lab's log files:
 * {@code node-agent} (also {@code ds/node-agent}, {@code ztunnel}) is one log per node, {@code control-plane} (also
 * {@code deploy/control-plane}, {@code istiod}) one log. Pure, so the mapping is unit-tested.
 */
final class ComponentLogs {

  /** The namespace the mesh's components are addressed in, as Istio's are. */
  static final String SYSTEM_NAMESPACE = "istio-system";

  /** Marks node-agent log lines that are access-log entries (the logger named {@code access}). */
  static final String ACCESS_MARK = " access - ";

  /** One log to read, with the prefix its lines get when several logs are printed together. */
  record Source(String prefix, Path file) {
    Source {
      Objects.requireNonNull(prefix, "prefix");
      Objects.requireNonNull(file, "file");
    }
  }

  private ComponentLogs() {}

  /** Returns the component {@code target} names ({@code node-agent} or {@code control-plane}), if it names one. */
  static Optional<String> component(String target) {
    String t = Objects.requireNonNull(target, "target").toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    String kind = slash < 0 ? "" : t.substring(0, slash);
    String name = slash < 0 ? t : t.substring(slash + 1);
    if (name.equals("node-agent") || name.equals("ztunnel")) {
      return List.of("", "ds", "daemonset", "daemonsets").contains(kind) ? Optional.of("node-agent")
          : Optional.empty();
    }
    if (name.equals("control-plane") || name.equals("istiod")) {
      return List.of("", "deploy", "deployment", "deployments").contains(kind) ? Optional.of("control-plane")
          : Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Returns the logs of {@code component} in {@code logDir}: the control plane's, or the node agent's of {@code node}
   * (every node's, in node order, when {@code node} is null). Throws {@link CliException} for a node the lab lacks.
   */
  static List<Source> sources(String component, Path logDir, List<String> nodes, String node) {
    Objects.requireNonNull(logDir, "logDir");
    if (component.equals("control-plane")) {
      return List.of(new Source("control-plane", logDir.resolve("control-plane.log")));
    }
    if (node != null && !nodes.contains(node)) {
      throw new CliException(1, "the lab has no node " + node + ": its nodes are " + String.join(", ", nodes));
    }
    List<Source> out = new ArrayList<>();
    for (String n : nodes) {
      if (node == null || node.equals(n)) {
        out.add(new Source("node-agent/" + n, logDir.resolve("node-agent-" + n + ".log")));
      }
    }
    return out;
  }

  /** Returns the filter for {@code --access-log}: access-log lines only, or every line. */
  static Predicate<String> filter(boolean accessOnly) {
    return accessOnly ? line -> line.contains(ACCESS_MARK) : line -> true;
  }

  /** Returns the last {@code tail} of {@code lines} (all of them for a negative {@code tail}). */
  static List<String> tail(List<String> lines, int tail) {
    int from = tail < 0 ? 0 : Math.max(0, lines.size() - tail);
    return lines.subList(from, lines.size());
  }
}
