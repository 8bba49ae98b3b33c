package dev.meshctl.cli;

import dev.meshctl.lab.load.LoadGenerator;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Generates fixed-rate HTTP/1.1 load and prints latency percentiles as JSON (used by scripts/bench-agent). */
@Command(name = "load", description = "Fixed-rate HTTP/1.1 POST load; prints {requests, errors, p50/p90/p99/max ms} as JSON.")
final class LoadComponent implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", required = true)
  URI url;

  @Option(names = "--rate", defaultValue = "1000", description = "Requests per second in total.")
  int rate;

  @Option(names = "--connections", defaultValue = "4")
  int connections;

  @Option(names = "--seconds", defaultValue = "10")
  double seconds;

  @Option(names = "--body", defaultValue = "1024", description = "Request body bytes.")
  int body;

  @Override
  public Integer call() throws Exception {
    LoadGenerator.Report r = LoadGenerator.run(new LoadGenerator.Settings(url, rate, connections, seconds, body));
    MeshctlCommand.root(spec).terminal().out().println(r.json());
    return r.errors() == 0 ? 0 : 1;
  }
}
