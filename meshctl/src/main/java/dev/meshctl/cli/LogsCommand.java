package dev.meshctl.cli;

import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.LabException;
import dev.meshctl.lab.NodeInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints the log of a pod, or of a mesh component in kubectl's habit: {@code logs -n istio-system node-agent
 * --node node-2}, {@code logs -n istio-system control-plane}. Node-agent access-log lines carry {@code " access - "},
 * and {@code --access-log} keeps only those.
 */
@Command(name = "logs", description = "Print the log of a pod, or of the mesh's node-agent / control-plane.",
    footer = {"", "Examples:",
        "  meshctl logs deploy/productpage-v1",
        "  meshctl logs -n istio-system node-agent --node node-2 --tail 20",
        "  meshctl logs -n istio-system node-agent --access-log      (every node, lines prefixed by the node)",
        "  meshctl logs -n istio-system control-plane -f"})
final class LogsCommand implements Runnable {
  private static final long FOLLOW_POLL_MILLIS = 250;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--tail", defaultValue = "-1", description = "Lines from the end to show (-1: all).")
  int tail;

  @Option(names = "--node", paramLabel = "NODE", description = "The node-agent of this node only (default: every node).")
  String node;

  @Option(names = "--access-log", description = "Only the node agents' access-log lines (one per connection).")
  boolean accessLog;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
  boolean follow;

  @Option(names = "--prefix", negatable = true,
      description = "Prefix each line with its source (default: when several logs are printed).")
  Boolean prefix;

  @Parameters(index = "0", paramLabel = "POD|deploy/NAME|node-agent|control-plane")
  String target;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    Cluster cluster = root.cluster();
    Optional<String> component = ComponentLogs.component(target);
    List<ComponentLogs.Source> sources;
    if (component.isPresent() && (namespace.equals(ComponentLogs.SYSTEM_NAMESPACE) || !isPod(cluster))) {
      ComponentHost host = cluster.components().orElseThrow(() -> new CliException(1, "lab " + cluster.name()
          + " (" + cluster.provider() + ") runs the mesh as pods: use `meshctl logs -n istio-system POD`"));
      sources = ComponentLogs.sources(component.get(), host.stateDir().resolve("logs"),
          cluster.nodes().stream().map(NodeInfo::name).toList(), node);
    } else {
      if (node != null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--node applies to the node-agent only, e.g. "
            + "`meshctl logs -n istio-system node-agent --node " + node + "`");
      }
      String pod = cluster.resolvePod(namespace, target);
      sources = List.of(new ComponentLogs.Source(pod, cluster.logs(namespace, pod)));
    }
    for (ComponentLogs.Source s : sources) {
      if (!Files.exists(s.file())) {
        throw new LabException(s.prefix() + " has no log yet (" + s.file() + "): is it running? `meshctl check` "
            + "and `meshctl get pods -A` say");
      }
    }
    boolean prefixed = prefix != null ? prefix : sources.size() > 1;
    Predicate<String> keep = ComponentLogs.filter(accessLog);
    PrintWriter out = root.terminal().out();
    List<Long> offsets = new ArrayList<>();
    for (ComponentLogs.Source s : sources) {
      try {
        List<String> lines = Files.readAllLines(s.file(), StandardCharsets.UTF_8).stream().filter(keep).toList();
        ComponentLogs.tail(lines, tail).forEach(l -> out.println(prefixed ? "[" + s.prefix() + "] " + l : l));
        offsets.add(Files.size(s.file()));
      } catch (IOException e) {
        throw new LabException("cannot read " + s.file() + ": " + e.getMessage(), e);
      }
    }
    out.flush();
    if (follow) {
      follow(sources, offsets, keep, prefixed, out);
    }
  }

  /** Does {@code target} name a pod of {@code namespace}? Lets a user's own pod named like a component win. */
  private boolean isPod(Cluster cluster) {
    try {
      cluster.resolvePod(namespace, target);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Prints lines appended to {@code sources} after {@code offsets} until the thread is interrupted (Ctrl-C). */
  private static void follow(List<ComponentLogs.Source> sources, List<Long> offsets, Predicate<String> keep,
                             boolean prefixed, PrintWriter out) {
    StringBuilder[] partial = new StringBuilder[sources.size()];
    for (int i = 0; i < partial.length; i++) {
      partial[i] = new StringBuilder();
    }
    while (!Thread.currentThread().isInterrupted()) {
      for (int i = 0; i < sources.size(); i++) {
        ComponentLogs.Source s = sources.get(i);
        try (RandomAccessFile f = new RandomAccessFile(s.file().toFile(), "r")) {
          long size = f.length();
          long from = size < offsets.get(i) ? 0 : offsets.get(i); // truncated or restarted: start over
          if (size == from) {
            continue;
          }
          byte[] buf = new byte[(int) Math.min(size - from, 1 << 20)];
          f.seek(from);
          f.readFully(buf);
          offsets.set(i, from + buf.length);
          partial[i].append(new String(buf, StandardCharsets.UTF_8));
          int nl;
          while ((nl = partial[i].indexOf("\n")) >= 0) {
            String line = partial[i].substring(0, nl);
            partial[i].delete(0, nl + 1);
            if (keep.test(line)) {
              out.println(prefixed ? "[" + s.prefix() + "] " + line : line);
            }
          }
        } catch (IOException e) {
          // The file may be replaced while a component restarts; read it again on the next round.
        }
      }
      out.flush();
      try {
        Thread.sleep(FOLLOW_POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
