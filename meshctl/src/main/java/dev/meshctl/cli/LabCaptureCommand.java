package dev.meshctl.cli;

import dev.meshctl.lab.LabException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Captures packets on the cluster network (or one node's link) and prints them with their payload. */
@Command(name = "capture", description = "Capture packets on the cluster network (tcpdump -nn -A), e.g. to see mTLS on 15008.")
final class LabCaptureCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--node", paramLabel = "NAME", description = "Capture on this node's link instead of the cluster bridge.")
  String node;

  @Option(names = "--count", defaultValue = "200", description = "Stop after this many packets (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--seconds", defaultValue = "5", description = "Stop after this many seconds (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--filter", defaultValue = "tcp", description = "pcap filter expression (default: ${DEFAULT-VALUE}).")
  String filter;

  @Override
  public void run() {
    MeshctlCommand root = MeshctlCommand.root(spec);
    List<String> args = new ArrayList<>(List.of("-nn", "-A", "-l", "-c", Integer.toString(count)));
    args.addAll(List.of(filter.trim().split("\\s+")));
    ProcessBuilder pb = root.cluster().capture(node, args).redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      Thread pump = new Thread(() -> copy(p.getInputStream(), root), "capture-out");
      pump.start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroy();
        p.waitFor(2, TimeUnit.SECONDS);
      }
      pump.join(2000);
    } catch (IOException e) {
      throw new LabException("cannot run tcpdump: " + e.getMessage() + " — install it (apt-get install -y tcpdump)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void copy(InputStream in, MeshctlCommand root) {
    try (in) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        root.terminal().out().print(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        root.terminal().out().flush();
      }
    } catch (IOException e) {
      // tcpdump stopped
    }
  }

}
