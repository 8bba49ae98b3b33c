package dev.meshctl.install;

import java.nio.file.Path;

/** Names the mesh's files inside a lab's state directory. */
record MeshLayout(Path root) {
  static MeshLayout of(Path labStateDir) {
    return new MeshLayout(labStateDir.resolve("mesh"));
  }

  Path installState() {
    return root.resolve("install.json");
  }

  Path controlPlaneDir() {
    return root.resolve("controlplane");
  }

  Path nodeTokens() {
    return controlPlaneDir().resolve("node-tokens");
  }

  Path rootCert() {
    return root.resolve("root-cert.pem");
  }

  Path tokenFile(String node) {
    return root.resolve("nodes").resolve(node).resolve("token");
  }

  /** Returns where the node's agents record which of them owns the node's capture rules. */
  Path agentRuntimeDir(String node) {
    return root.resolve("nodes").resolve(node);
  }

  Path pluginDir() {
    return controlPlaneDir().resolve("plugin");
  }
}
