package dev.meshctl.workshops.check;

import dev.meshctl.workshops.model.Probe;
import java.util.ArrayList;
import java.util.List;

/** Builds the shell scripts that probes run; pure, so the exact commands are unit-tested. */
public final class ProbeCommands {
  /** Separates the body from the status line that curl's {@code -w} appends. */
  static final String STATUS_MARK = "\n__meshctl_status__:";

  private ProbeCommands() {}

  /** Quotes {@code s} for bash. */
  public static String quote(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }

  /** Returns {@code meshctl exec} running curl in the pod, printing the body then a status marker line. */
  public static String http(Probe.Http h) {
    List<String> words = new ArrayList<>(List.of("meshctl", "exec", "-n", h.namespace(), h.from(), "--",
        "curl", "-s", "-S", "-m", "5", "-o", "-", "-w", STATUS_MARK.replace("\n", "\\n") + "%{http_code}"));
    if (!"GET".equals(h.method())) {
      words.add("-X");
      words.add(h.method());
    }
    for (String header : h.headers()) {
      words.add("-H");
      words.add(header);
    }
    words.add(h.url());
    return String.join(" ", words.stream().map(ProbeCommands::quote).toList());
  }

  /** Returns the capture command, with the traffic command looping in the background while it runs. */
  public static String capture(Probe.Capture c) {
    List<String> words = new ArrayList<>(List.of("meshctl", "lab", "capture", "--seconds",
        Integer.toString(c.seconds())));
    if (c.node() != null) {
      words.add("--node");
      words.add(c.node());
    }
    if (c.count() != null) {
      words.add("--count");
      words.add(Integer.toString(c.count()));
    }
    if (c.filter() != null) {
      words.add("--filter");
      words.add(c.filter());
    }
    String capture = String.join(" ", words.stream().map(ProbeCommands::quote).toList());
    if (c.traffic() == null || c.traffic().isBlank()) {
      return capture;
    }
    // The traffic repeats until the capture is over, so packets are on the wire whenever tcpdump listens.
    return "( while :; do " + c.traffic() + " >/dev/null 2>&1; sleep 0.2; done ) & traffic=$!\n"
        + capture + "\nrc=$?\nkill $traffic 2>/dev/null; wait $traffic 2>/dev/null\nexit $rc";
  }

  /** Splits curl's output into the body and the HTTP status (0 when curl printed none). */
  static String[] splitStatus(String stdout) {
    int at = stdout.lastIndexOf(STATUS_MARK);
    if (at < 0) {
      return new String[] {stdout, "0"};
    }
    String status = stdout.substring(at + STATUS_MARK.length()).strip();
    return new String[] {stdout.substring(0, at), status.matches("\\d+") ? status : "0"};
  }
}
