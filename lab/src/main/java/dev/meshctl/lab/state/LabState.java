package dev.meshctl.lab.state;

import dev.meshctl.lab.NodeInfo;
import java.util.List;

/** Records what a lab is: its provider, nodes and the next pod id (pod ids are never reused). */
public record LabState(String name, String provider, List<NodeInfo> nodes, long nextPodId, String createdAt) {

  public LabState withNextPodId(long next) {
    return new LabState(name, provider, nodes, next, createdAt);
  }
}
