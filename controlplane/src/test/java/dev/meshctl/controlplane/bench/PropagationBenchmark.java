package dev.meshctl.controlplane.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures propagation from an applied change to every node agent ACKing it, and the bytes each change costs, for
 * meshes of several sizes; prints a report and writes it as JSON.
 *
 * <p>A benchmark, not a test: run it with {@code scripts/bench-push}. Options:
 * {@code --sizes 1000,10000 --agents 100 --warmup 50 --changes 100 --transport in-process|netty
 * --out target/bench-push.json}. {@code --changes} counts changes of each kind; warm-up changes are spread over the
 * kinds and not reported.
 */
public final class PropagationBenchmark {

  private static final double GOAL_P99_MS = 30;

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    List<Integer> sizes = Arrays.stream(options.get("sizes").split(",")).map(String::trim).map(Integer::parseInt)
        .toList();
    int agents = Integer.parseInt(options.get("agents"));
    int warmup = Integer.parseInt(options.get("warmup"));
    int changes = Integer.parseInt(options.get("changes"));
    PropagationRun.Transport transport = switch (options.get("transport")) {
      case "in-process" -> PropagationRun.Transport.IN_PROCESS;
      case "netty" -> PropagationRun.Transport.NETTY;
      default -> throw new IllegalArgumentException("--transport " + options.get("transport")
          + ": use in-process or netty");
    };
    PrintStream out = System.out;
    List<SizeReport> reports = new ArrayList<>();
    for (int workloads : sizes) {
      out.printf("%nmesh of %d workloads, %d agents (%s): syncing...%n", workloads, agents, options.get("transport"));
      try (PropagationRun run = new PropagationRun(workloads, agents, transport)) {
        run.start();
        run.run(Math.max(1, warmup / ChangeSample.Kind.values().length));
        SizeReport report = SizeReport.of(run, agents, workloads, run.run(changes));
        reports.add(report);
        print(out, report);
      }
    }
    printGoals(out, reports);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("benchmark", "control plane propagation (issue 3)");
    json.put("transport", options.get("transport"));
    json.put("measuredUntil", "the push server's onAck for the new snapshot version, for every proxy type that changed");
    json.put("cpus", Runtime.getRuntime().availableProcessors());
    json.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    json.put("goalP99Ms", GOAL_P99_MS);
    json.put("warmupChanges", warmup);
    json.put("changesPerKind", changes);
    json.put("sizes", reports);
    Path file = Path.of(options.get("out"));
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    out.printf("%nwrote %s%n", file.toAbsolutePath());
    // gRPC's and the clients' threads are daemons or shut down; exit anyway so a stuck pool never hangs the script.
    System.exit(0);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("sizes", "1000,10000");
    o.put("agents", "100");
    o.put("warmup", "50");
    o.put("changes", "100");
    o.put("transport", "in-process");
    o.put("out", "target/bench-push.json");
    for (int i = 0; i < args.length; i++) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!o.containsKey(name) || i + 1 == args.length) {
        throw new IllegalArgumentException("bad option '" + args[i] + "': use --name value with a name among "
            + o.keySet());
      }
      o.put(name, args[++i]);
    }
    return o;
  }

  private static void print(PrintStream out, SizeReport r) {
    out.printf(Locale.ROOT, "%d workloads, %d services, %d policies, %d agents; initial sync %.0f ms%n",
        r.workloads(), r.services(), r.policies(), r.agents(), r.initialSyncMs());
    out.printf(Locale.ROOT, "  %-28s %-31s %-15s %-31s %7s %9s %9s %7s%n", "change (ms: p50 p90 p99 max)",
        "propagation", "translation", "  of which translate", "share", "B/change", "B/proxy", "proxies");
    for (KindReport k : r.kinds()) {
      out.printf(Locale.ROOT, "  %-28s %s  %6.2f %6.2f  %s %6.0f%% %9.0f %9.0f %7.1f%n", k.kind(),
          k.propagation().brief(), k.translation().p50(), k.translation().p99(), k.translate().brief(),
          k.translationShare() * 100, k.bytesPerChange(), k.bytesPerProxy(), k.proxiesReached());
    }
    out.printf(Locale.ROOT, "  p50 phases (ms) %-12s %8s %8s %8s %8s %8s %12s%n", "", "model", "translate",
        "publish", "push", "ack tail", "client CPU");
    for (KindReport k : r.kinds()) {
      out.printf(Locale.ROOT, "  %-29s %8.2f %8.2f %8.2f %8.2f %8.2f %12.2f%n", k.kind(), k.model().p50(),
          k.translate().p50(), k.publish().p50(), k.pushed().p50(), k.ackTail().p50(), k.clientApply().p50());
    }
  }

  private static void printGoals(PrintStream out, List<SizeReport> reports) {
    out.printf("%nanchors: Istio 120-300 ms; best gateway 10-30 ms. goal: p99 <= %.0f ms to 100 agents at 10k.%n",
        GOAL_P99_MS);
    for (SizeReport r : reports) {
      KindReport all = r.kinds().get(r.kinds().size() - 1);
      out.printf(Locale.ROOT, "  %6d workloads: p99 %.2f ms -> %s%n", r.workloads(), all.propagation().p99(),
          all.propagation().p99() <= GOAL_P99_MS ? "meets the goal" : "misses the goal");
    }
    if (reports.size() > 1) {
      SizeReport small = reports.get(0);
      SizeReport big = reports.get(reports.size() - 1);
      for (int i = 0; i < ChangeSample.Kind.values().length; i++) {
        out.printf(Locale.ROOT, "  bytes per proxy, %s: %.0f at %d, %.0f at %d (x%.2f)%n",
            small.kinds().get(i).kind(), small.kinds().get(i).bytesPerProxy(), small.workloads(),
            big.kinds().get(i).bytesPerProxy(), big.workloads(),
            big.kinds().get(i).bytesPerProxy() / small.kinds().get(i).bytesPerProxy());
      }
    }
  }
}
