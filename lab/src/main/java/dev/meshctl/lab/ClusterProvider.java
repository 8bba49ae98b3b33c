package dev.meshctl.lab;

import java.nio.file.Path;
import java.util.List;

/** Creates, opens and removes lab clusters of one kind (netns, kind). */
public interface ClusterProvider {

  String name();

  /** Checks what this provider needs on this machine. */
  List<Preflight.Check> preflight();

  /** Brings a lab up, or returns it unchanged when it is already up with the same shape. */
  Cluster up(LabSpec spec, Path stateDir, Progress progress);

  /** Opens a lab that is up. */
  Cluster open(String name, Path stateDir);

  /** Removes everything the lab created, also when its state is partial or its processes crashed. */
  void down(String name, Path stateDir, Progress progress);
}
