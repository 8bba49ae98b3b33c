package dev.meshctl.lab.netns;

import dev.meshctl.lab.Preflight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks what the netns provider needs: root, ip, iptables (with TPROXY), curl, and kernel features. */
final class NetnsPreflight {
  private static final String CATEGORY = "netns lab";

  private NetnsPreflight() {}

  static List<Preflight.Check> checks(CommandRunner run) {
    List<Preflight.Check> checks = new ArrayList<>();
    boolean root = "root".equals(System.getProperty("user.name")) || isUidZero();
    checks.add(new Preflight.Check(CATEGORY, "running as root", root,
        "network namespaces need root: run meshctl with sudo"));
    checks.add(tool(run, "ip", List.of("ip", "-V"), "iproute2"));
    checks.add(tool(run, "iptables", List.of("iptables", "-V"), "iptables"));
    checks.add(tool(run, "iptables-restore", List.of("iptables-restore", "-V"), "iptables"));
    checks.add(tool(run, "curl", List.of("curl", "--version"), "curl"));
    checks.add(tool(run, "nft (the node agent captures inbound traffic after service DNAT with it)",
        List.of("nft", "--version"), "nftables"));
    checks.add(tool(run, "setsid", List.of("setsid", "--version"), "util-linux"));
    checks.add(new Preflight.Check(CATEGORY, "kernel supports network namespaces",
        Files.exists(Path.of("/proc/self/ns/net")), "a kernel with CONFIG_NET_NS is required"));
    checks.add(new Preflight.Check(CATEGORY, "kernel has veth, bridge and netfilter (/proc/net/ip_tables_names or nf_tables)",
        Files.exists(Path.of("/proc/sys/net/ipv4/ip_forward")), "load the modules: modprobe veth bridge nf_tables"));
    return checks;
  }

  private static boolean isUidZero() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return "0".equals(line.split("\\s+")[1]);
        }
      }
    } catch (java.io.IOException e) {
      return false;
    }
    return false;
  }

  private static Preflight.Check tool(CommandRunner run, String name, List<String> probe, String pkg) {
    boolean ok;
    try {
      ok = run.run(probe, null).ok();
    } catch (RuntimeException e) {
      ok = false;
    }
    return new Preflight.Check(CATEGORY, name + " is installed", ok,
        "install it: apt-get install -y " + pkg + " (or run scripts/setup)");
  }
}
