package dev.meshctl.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshctl.install.WaypointsManifests;
import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.NodeInfo;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Queries the mesh's Prometheus metrics across every node agent and waypoint, the way a person would with a PromQL
 * selector: {@code meshctl metrics istio_tcp_connections_opened_total -l reporter=destination --sum}.
 */
@Command(name = "metrics",
    description = "Query the metrics of the node agents and waypoints: a metric name, label selectors, sums.",
    footer = {"", "Examples:",
        "  meshctl metrics istio_tcp_connections_opened_total -l reporter=destination",
        "  meshctl metrics istio_requests_total -l reporter=waypoint --by response_code",
        "  meshctl metrics istio_tcp_connections_closed -l response_flags=DENY --sum"})
final class MetricsCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "METRIC",
      description = "Metric name; the _total suffix (and a histogram's _bucket/_sum/_count) may be left out.")
  String metric;

  @Option(names = {"-l", "--match"}, paramLabel = "SELECTOR",
      description = "Label selector LABEL=VALUE, LABEL!=VALUE, LABEL=~REGEX or LABEL!~REGEX; repeat to AND them.")
  List<String> matches = new ArrayList<>();

  @Option(names = "--node", paramLabel = "NODE", description = "Only this node's agent and the waypoints on it.")
  String node;

  @Option(names = "--from", defaultValue = "all", paramLabel = "WHO",
      description = "node-agents, waypoints or all (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(names = "--sum", description = "Print only the sum of the matching samples (0 when none match).")
  boolean sum;

  @Option(names = "--by", paramLabel = "LABEL", description = "Print the sum per value of LABEL.")
  String by;

  @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  /** Scrapes one source's metrics; returns null when it cannot be read. */
  @FunctionalInterface
  interface Scraper {
    String scrape(String source);
  }

  @Override
  public void run() {
    List<PromSamples.Matcher> matchers;
    try {
      matchers = matches.stream().map(PromSamples.Matcher::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!List.of("node-agents", "waypoints", "all").contains(from)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown --from '" + from
          + "': use node-agents, waypoints or all");
    }
    if (!output.equals("text") && !output.equals("json")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown output '" + output + "': use text or json");
    }
    if (sum && by != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--sum and --by exclude each other");
    }
    MeshctlCommand root = MeshctlCommand.root(spec);
    Cluster cluster = root.cluster();
    ComponentHost host = cluster.components().orElseThrow(() -> new CliException(1, "lab " + cluster.name()
        + " (" + cluster.provider() + ") runs the mesh as pods: scrape port 15020 of its pods with kubectl"));
    List<String> nodes = cluster.nodes().stream().map(NodeInfo::name).toList();
    if (node != null && !nodes.contains(node)) {
      throw new CliException(1, "lab " + cluster.name() + " has no node " + node + ": its nodes are "
          + String.join(", ", nodes));
    }
    Map<String, java.util.function.Supplier<String>> sources = new LinkedHashMap<>();
    if (!from.equals("waypoints")) {
      for (String n : nodes) {
        if (node == null || node.equals(n)) {
          sources.put("node-agent/" + n, () -> {
            ComponentHost.ExecResult r = host.exec(n, curl());
            return r.ok() ? r.stdout() : null;
          });
        }
      }
    }
    if (!from.equals("node-agents")) {
      for (Pod p : cluster.list(Pod.class, null)) {
        Map<String, String> labels = p.getMetadata().getLabels();
        boolean onNode = node == null || p.getSpec() != null && node.equals(p.getSpec().getNodeName());
        if (labels != null && labels.containsKey(WaypointsManifests.GATEWAY_NAME) && onNode) {
          String ns = p.getMetadata().getNamespace();
          String pod = p.getMetadata().getName();
          sources.put("waypoint/" + ns + "/" + pod, () -> execInPod(cluster, ns, pod));
        }
      }
    }
    int code = query(sources.keySet().stream().toList(), s -> sources.get(s).get(), metric, matchers, sum, by,
        output.equals("json"), root.terminal().out(), root.terminal().err());
    root.terminal().out().flush();
    root.terminal().err().flush();
    if (code != 0) {
      throw new CliException(code, "no node agent or waypoint answered on port 15020: is `meshctl install` done? "
          + "`meshctl check` says which component is down");
    }
  }

  /**
   * Scrapes {@code sources} and prints what matched; pure apart from {@code scraper}. Returns 1 when no source could
   * be read (each failure is reported on {@code err}), else 0, also when nothing matched (an empty answer is data).
   */
  static int query(List<String> sources, Scraper scraper, String metric, List<PromSamples.Matcher> matchers,
                   boolean sum, String by, boolean json, PrintWriter out, PrintWriter err) {
    List<PromSamples.Sample> samples = new ArrayList<>();
    int answered = 0;
    for (String source : sources) {
      String text = scraper.scrape(source);
      if (text == null) {
        err.println("warning: cannot read the metrics of " + source + " (port 15020); left out");
        continue;
      }
      answered++;
      samples.addAll(PromSamples.parse(source, text));
    }
    if (answered == 0 && !sources.isEmpty()) {
      return 1;
    }
    List<PromSamples.Sample> selected = PromSamples.select(samples, metric, matchers);
    if (sum) {
      out.println(json ? write(Map.of("sum", PromSamples.sum(selected))) : PromSamples.number(PromSamples.sum(selected)));
    } else if (by != null) {
      Map<String, Double> groups = PromSamples.sumBy(selected, by);
      if (json) {
        out.println(write(groups));
      } else {
        groups.forEach((v, n) -> out.println(by + "=\"" + v + "\" " + PromSamples.number(n)));
      }
    } else if (json) {
      out.println(write(selected));
    } else {
      String current = null;
      for (PromSamples.Sample s : selected) {
        if (!s.source().equals(current)) {
          current = s.source();
          out.println("# " + current);
        }
        out.println(s.text());
      }
    }
    return 0;
  }

  private static List<String> curl() {
    return List.of("curl", "-s", "-f", "--max-time", "5", "http://127.0.0.1:15020/metrics");
  }

  private static String execInPod(Cluster cluster, String namespace, String pod) {
    try {
      Process p = cluster.exec(namespace, pod, curl()).redirectErrorStream(false).start();
      p.getOutputStream().close();
      byte[] body = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(body, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("BUG: cannot write JSON: " + e.getMessage(), e);
    }
  }
}
