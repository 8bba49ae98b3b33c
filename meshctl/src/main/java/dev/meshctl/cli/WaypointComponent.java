package dev.meshctl.cli;

import dev.meshctl.waypoint.WaypointMain;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Runs a waypoint in the foreground (its own options or env: see WaypointSettings). */
@Command(name = "waypoint", description = "Run a waypoint (e.g. --namespace default --name waypoint --control-plane HOST:15012 ...).")
final class WaypointComponent implements Runnable {
  @Unmatched
  List<String> args = new ArrayList<>();

  @Override
  public void run() {
    NodeAgentComponent.timestampLogLines();
    WaypointMain.main(args.toArray(String[]::new));
  }
}
