package dev.meshctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshctl.lab.Cluster;
import dev.meshctl.lab.ComponentHost;
import dev.meshctl.lab.NodeInfo;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Shows what the node agents hold, read from their admin endpoints through the lab, in the style of
 * {@code istioctl ztunnel-config}. Workloads and services are the same on every node, so one node answers for all;
 * policies differ per node (each gets those that can apply to its pods), so they are merged from every node;
 * certificates, connections and metrics are per node.
 */
@Command(name = "agent-config", aliases = "zc",
    description = "Show the node agents' config: workloads|services|policies|certificates|connections|metrics|all.")
final class AgentConfigCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<String, String> VIEWS = Map.ofEntries(
      Map.entry("workloads", "workloads"), Map.entry("workload", "workloads"),
      Map.entry("services", "services"), Map.entry("service", "services"),
      Map.entry("policies", "policies"), Map.entry("policy", "policies"),
      Map.entry("certificates", "certificates"), Map.entry("certificate", "certificates"),
      Map.entry("certs", "certificates"), Map.entry("connections", "connections"),
      Map.entry("metrics", "metrics"), Map.entry("all", "all"));
  private static final List<String> ALL = List.of("workloads", "services", "policies", "certificates", "connections");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VIEW",
      description = "workloads, services, policies, certificates, connections, metrics or all.")
  String view;

  @Option(names = "--node", paramLabel = "NODE", description = "Ask this node's agent only (default: see above).")
  String node;

  @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  String output;

  /** Reads one admin path ({@code /workloads}, or {@code :15020/metrics}) from one node's agent. */
  @FunctionalInterface
  interface Admin {
    /** Returns the body; throws {@link CliException} when the agent does not answer. */
    String get(String node, String path);
  }

  @Override
  public void run() {
    String v = VIEWS.get(view.toLowerCase(java.util.Locale.ROOT));
    if (v == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown view '" + view
          + "': use workloads, services, policies, certificates, connections, metrics or all");
    }
    if (!output.equals("table") && !output.equals("json")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "unknown output '" + output
          + "': use table or json");
    }
    MeshctlCommand root = MeshctlCommand.root(spec);
    Cluster cluster = root.cluster();
    ComponentHost host = cluster.components().orElseThrow(() -> new CliException(1, "lab " + cluster.name()
        + " (" + cluster.provider() + ") runs the node agents as pods: read their admin port with kubectl exec"));
    List<String> nodes = cluster.nodes().stream().map(NodeInfo::name).toList();
    if (node != null && !nodes.contains(node)) {
      throw new CliException(1, "lab " + cluster.name() + " has no node " + node + ": its nodes are "
          + String.join(", ", nodes));
    }
    List<String> asked = node == null ? nodes : List.of(node);
    show(v, asked, (n, path) -> fetch(host, n, path), root.terminal().out(), root.terminal().err(),
        output.equals("json"));
    root.terminal().out().flush();
  }

  /** Prints {@code view} as read from {@code nodes}; pure apart from {@code admin}, so tests feed it sample JSON. */
  static void show(String view, List<String> nodes, Admin admin, PrintWriter out, PrintWriter err, boolean json) {
    if (view.equals("metrics")) {
      for (String n : nodes) {
        if (nodes.size() > 1) {
          out.println("# node " + n);
        }
        out.print(admin.get(n, ":15020/metrics"));
      }
    } else if (json) {
      out.println(write(json(view, nodes, admin, err)));
    } else if (view.equals("all")) {
      for (String part : ALL) {
        out.println(part.toUpperCase(java.util.Locale.ROOT));
        table(part, nodes, admin, err).print(out);
        out.println();
      }
    } else {
      table(view, nodes, admin, err).print(out);
    }
    out.flush();
    err.flush();
  }

  private static Table table(String view, List<String> nodes, Admin admin, PrintWriter err) {
    return switch (view) {
      case "workloads" -> workloads(fromOne(view, nodes, admin, "/workloads", err));
      case "services" -> services(fromOne(view, nodes, admin, "/config_dump", err).path("resources"));
      case "policies" -> policies(fromEvery(nodes, admin, err).values().stream().map(d -> d.path("resources"))
          .toList());
      case "certificates" -> certificates(perNode(nodes, admin, "/certs"), Instant.now());
      case "connections" -> connections(perNode(nodes, admin, "/connections"));
      default -> throw new IllegalStateException("BUG: no table for view " + view);
    };
  }

  private static JsonNode json(String view, List<String> nodes, Admin admin, PrintWriter err) {
    return switch (view) {
      case "workloads" -> fromOne(view, nodes, admin, "/workloads", err);
      case "services" -> fromOne(view, nodes, admin, "/config_dump", err).path("resources").path("services");
      case "policies" -> {
        ObjectNode byNode = JSON.createObjectNode();
        fromEvery(nodes, admin, err).forEach((n, d) -> byNode.set(n, d.path("resources").path("authorizations")));
        yield byNode;
      }
      case "certificates", "connections" -> {
        Map<String, JsonNode> docs = perNode(nodes, admin, view.equals("certificates") ? "/certs" : "/connections");
        yield nodes.size() == 1 ? docs.get(nodes.get(0)) : JSON.valueToTree(docs);
      }
      case "all" -> {
        ObjectNode all = JSON.createObjectNode();
        ALL.forEach(part -> all.set(part, json(part, nodes, admin, err)));
        yield all;
      }
      default -> throw new IllegalStateException("BUG: no JSON for view " + view);
    };
  }

  private static JsonNode fromOne(String view, List<String> nodes, Admin admin, String path, PrintWriter err) {
    String from = nodes.get(0);
    if (nodes.size() > 1) {
      err.println("(" + view + " as the node agent on " + from + " sees them; every node agent holds the same)");
    }
    return parse(admin.get(from, path), from);
  }

  private static Map<String, JsonNode> fromEvery(List<String> nodes, Admin admin, PrintWriter err) {
    if (nodes.size() > 1) {
      err.println("(policies merged from the node agents on " + String.join(", ", nodes)
          + ": each holds the policies that can apply to its own pods)");
    }
    return perNode(nodes, admin, "/config_dump");
  }

  /** Renders {@code /workloads}: every workload in the mesh as the agent knows it. */
  static Table workloads(JsonNode doc) {
    Table t = new Table("NAMESPACE", "POD NAME", "ADDRESS", "NODE", "WAYPOINT", "PROTOCOL");
    for (JsonNode w : doc.path("all")) {
      String waypoint = w.path("waypoint").asText("");
      t.row(w.path("namespace").asText(), w.path("name").asText(), w.path("address").asText(),
          w.path("node").asText(), waypoint.isEmpty() ? "None" : waypoint, w.path("protocol").asText("TCP"));
    }
    return t;
  }

  /** Renders the services of a config dump's {@code resources}, counting each one's endpoints among the workloads. */
  static Table services(JsonNode resources) {
    Map<String, Integer> endpoints = new TreeMap<>();
    for (JsonNode w : resources.path("workloads")) {
      w.path("resource").path("services").fieldNames().forEachRemaining(k -> endpoints.merge(k, 1, Integer::sum));
    }
    Table t = new Table("NAMESPACE", "SERVICE NAME", "SERVICE VIP", "WAYPOINT", "ENDPOINTS");
    for (JsonNode entry : resources.path("services")) {
      JsonNode s = entry.path("resource");
      List<String> vips = new ArrayList<>();
      s.path("addresses").forEach(a -> vips.add(a.asText()));
      String waypoint = s.path("waypoint").path("address").asText("");
      t.row(s.path("namespace").asText(), s.path("name").asText(), String.join(",", vips),
          waypoint.isEmpty() ? "None" : waypoint, Integer.toString(endpoints.getOrDefault(entry.path("name").asText(), 0)));
    }
    return t;
  }

  /** Renders the node-agent policies of several config dumps' {@code resources}, each policy once. */
  static Table policies(List<JsonNode> resources) {
    Map<String, JsonNode> byName = new TreeMap<>();
    for (JsonNode r : resources) {
      r.path("authorizations").forEach(a -> byName.putIfAbsent(a.path("name").asText(), a.path("resource")));
    }
    Table t = new Table("NAMESPACE", "POLICY NAME", "ACTION", "SCOPE");
    byName.forEach((key, p) -> {
      String ns = p.path("namespace").asText("");
      String name = p.path("name").asText(key);
      // The agent keys policies as namespace/name; the namespace has its own column.
      if (!ns.isEmpty() && name.startsWith(ns + "/")) {
        name = name.substring(ns.length() + 1);
      }
      // Protobuf JSON leaves out enum defaults: ALLOW and GLOBAL.
      t.row(ns, name, p.path("action").asText("ALLOW"), p.path("scope").asText("GLOBAL"));
    });
    return t;
  }

  /** Renders {@code /certs} per node: each local identity's leaf, then the trust bundle's roots. */
  static Table certificates(Map<String, JsonNode> byNode, Instant now) {
    boolean nodeColumn = byNode.size() > 1;
    List<String> headers = new ArrayList<>(List.of("CERTIFICATE NAME", "TYPE", "STATUS", "VALID CERT",
        "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE"));
    if (nodeColumn) {
      headers.add(0, "NODE");
    }
    Table t = new Table(headers.toArray(String[]::new));
    byNode.forEach((n, doc) -> {
      for (JsonNode c : doc.path("certificates")) {
        String notBefore = c.path("notBefore").asText("");
        String notAfter = c.path("notAfter").asText("");
        boolean valid = within(now, notBefore, notAfter);
        String state = c.path("state").asText("");
        String status = state.equals("VALID") ? "Available" : state.isEmpty() ? "Unknown" : state;
        t.row(cells(nodeColumn, n, c.path("identity").asText(), "Leaf", status, Boolean.toString(valid),
            c.path("serial").asText(), notAfter, notBefore));
      }
      for (JsonNode r : doc.path("trustBundle")) {
        String notAfter = r.path("notAfter").asText("");
        t.row(cells(nodeColumn, n, r.path("subject").asText(), "Root", "Available",
            Boolean.toString(within(now, "", notAfter)), r.path("serial").asText(), notAfter, ""));
      }
    });
    return t;
  }

  /** Renders {@code /connections} per node. */
  static Table connections(Map<String, JsonNode> byNode) {
    boolean nodeColumn = byNode.size() > 1;
    List<String> headers = new ArrayList<>(List.of("SOURCE", "DESTINATION", "SOURCE IDENTITY",
        "DESTINATION IDENTITY", "DIRECTION", "BYTES SENT", "BYTES RECEIVED"));
    if (nodeColumn) {
      headers.add(0, "NODE");
    }
    Table t = new Table(headers.toArray(String[]::new));
    byNode.forEach((n, doc) -> {
      for (JsonNode c : doc.path("connections")) {
        t.row(cells(nodeColumn, n, c.path("source").asText(), c.path("destination").asText(),
            c.path("sourceIdentity").asText(), c.path("destinationIdentity").asText(), c.path("direction").asText(),
            c.path("bytesSent").asText("0"), c.path("bytesReceived").asText("0")));
      }
    });
    return t;
  }

  private static String[] cells(boolean nodeColumn, String node, String... rest) {
    List<String> all = new ArrayList<>(List.of(rest));
    if (nodeColumn) {
      all.add(0, node);
    }
    return all.toArray(String[]::new);
  }

  private static boolean within(Instant now, String notBefore, String notAfter) {
    try {
      return (notBefore.isEmpty() || !now.isBefore(Instant.parse(notBefore)))
          && (notAfter.isEmpty() || now.isBefore(Instant.parse(notAfter)));
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Map<String, JsonNode> perNode(List<String> nodes, Admin admin, String path) {
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    for (String n : nodes) {
      docs.put(n, parse(admin.get(n, path), n));
    }
    return docs;
  }

  private static String fetch(ComponentHost host, String node, String path) {
    String url = path.startsWith(":") ? "http://127.0.0.1" + path : "http://127.0.0.1:15000" + path;
    ComponentHost.ExecResult r = host.exec(node, List.of("curl", "-s", "-f", "--max-time", "5", url));
    // An agent that has seen no traffic yet serves empty metrics; JSON views catch an empty body when parsing.
    if (!r.ok()) {
      throw unreachable(node, "curl " + url + " exited " + r.exitCode());
    }
    return r.stdout();
  }

  private static JsonNode parse(String body, String node) {
    if (Objects.requireNonNull(body, "body").isBlank()) {
      throw unreachable(node, "its admin port answered with nothing");
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw unreachable(node, "its admin port answered with something that is not JSON");
    }
  }

  static CliException unreachable(String node, String why) {
    return new CliException(1, "node agent on " + node + " not ready / unreachable (" + why
        + "): is `meshctl install` done? `meshctl check` says which component is down");
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("BUG: cannot write JSON: " + e.getMessage(), e);
    }
  }
}
