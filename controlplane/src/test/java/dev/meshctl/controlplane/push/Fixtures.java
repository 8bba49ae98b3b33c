package dev.meshctl.controlplane.push;

import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;

/** Builds small mesh resources for tests. */
final class Fixtures {

  private Fixtures() {}

  static Workload workload(String name, int generation) {
    return Workload.newBuilder().setUid("cluster/default/" + name).setName(name).setNamespace("default")
        .setNode("node-1").addAddresses("10.244.1." + (generation % 250)).setServiceAccount("sa-" + name)
        .setTunnelProtocol(TunnelProtocol.HBONE).putLabels("generation", Integer.toString(generation)).build();
  }

  static Service service(String name, int generation) {
    return Service.newBuilder().setName(name).setNamespace("default")
        .setHostname(name + ".default.svc.cluster.local").addAddresses("10.96.0." + (generation % 250)).build();
  }

  static Authorization authorization(String name, int generation) {
    return Authorization.newBuilder().setName(name).setNamespace("default")
        .addL7Fields("gen-" + generation).build();
  }
}
