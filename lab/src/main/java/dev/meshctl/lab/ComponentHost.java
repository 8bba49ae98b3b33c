package dev.meshctl.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs mesh components (control plane, node agents) as processes of a lab where it has no Kubernetes to do it: a
 * place is {@link #CONTROL_PLANE} (a namespace of its own on the cluster network) or a node name.
 */
public interface ComponentHost {
  String CONTROL_PLANE = "control-plane";

  /** Returns the control plane's address on the cluster network. */
  String controlPlaneIp();

  /** Returns the lab's state directory (mesh state lives below it). */
  Path stateDir();

  /** Returns the lab's object store directory (the control plane's file source). */
  Path storeDir();

  /** Creates the control plane's place on the cluster network (idempotent). */
  void prepareControlPlane();

  /** Removes the control plane's place and anything still running in it. */
  void removeControlPlane();

  /** Starts {@code meshctl component ARGS...} in {@code place}, logging to {@code logs/<name>.log}. */
  Component start(String place, String name, List<String> componentArgs, List<String> jvmOptions);

  /** Tells whether the component's process still runs. */
  boolean running(Component component);

  /** Stops the component: TERM, then KILL after {@code grace}. */
  void stop(Component component, Duration grace);

  /** Runs a command inside {@code place}'s network namespace (e.g. curl to a loopback admin port). */
  ExecResult exec(String place, List<String> command);

  /** Describes a started component process. */
  record Component(String name, String place, long pid, long startTime, String log) {}

  /** Captures what a command printed. */
  record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }
}
