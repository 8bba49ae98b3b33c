package dev.meshctl.cli;

import dev.meshctl.nodeagent.NodeAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Runs the node agent in the foreground (its own options: see NodeAgentOptions). */
@Command(name = "node-agent", description = "Run the node agent (e.g. --node-name node-1 --control-plane HOST:15012 ...).")
final class NodeAgentComponent implements Runnable {
  @Unmatched
  List<String> args = new ArrayList<>();

  /** The SimpleLogger date format: ISO-8601 in UTC, e.g. {@code 2026-05-01T12:00:00.123Z}. */
  static final String DATE_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

  @Override
  public void run() {
    timestampLogLines();
    NodeAgent.main(args.toArray(String[]::new));
  }

  /**
   * Starts every log line of this proxy process with an ISO-8601 UTC timestamp (access-log lines need one to be
   * correlated across nodes); settings given on the command line win. Must run before the first logger is made.
   */
  static void timestampLogLines() {
    if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
      System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", DATE_TIME_FORMAT);
      // SimpleLogger formats in the default zone and the format says 'Z': a proxy process has no use for local time.
      TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }
  }
}
