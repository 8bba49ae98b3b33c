package dev.meshctl.controlplane.kube;

import dev.meshctl.controlplane.ca.StoredRoots;
import dev.meshctl.controlplane.server.ControlPlaneOptions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Prepares the in-cluster control plane's CA from Secrets, so a restarted pod keeps the same root: a plug-in CA from
 * {@link KubeNames#PLUGIN_CA_SECRET} when it exists, else the generated root from the CA Secret (created on first
 * start). Either is written under the state directory, where {@link ControlPlaneOptions#loadCa} reads it.
 *
 * <pre>{@code
 * Optional<ControlPlaneOptions.PluginCa> plugin = KubeCa.prepare(client, "istio-system", KubeNames.CA_SECRET,
 *     stateDir, "cluster.local", Clock.systemUTC());
 * }</pre>
 */
public final class KubeCa {
  /** The directory under the state directory holding the plug-in CA's files. */
  static final String PLUGIN_DIR = "cacerts";

  private KubeCa() {}

  /**
   * Returns the plug-in CA to pass to {@link ControlPlaneOptions}, or empty after writing the generated root into
   * {@code stateDir/ca}.
   */
  public static Optional<ControlPlaneOptions.PluginCa> prepare(KubernetesClient client, String namespace,
      String caSecret, Path stateDir, String trustDomain, Clock clock) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(caSecret, "caSecret");
    Objects.requireNonNull(stateDir, "stateDir");
    Optional<ControlPlaneOptions.PluginCa> plugin = pluginCa(client, namespace, stateDir.resolve(PLUGIN_DIR));
    if (plugin.isPresent()) {
      return plugin;
    }
    StoredRoots.loadOrCreate(new SecretRootStore(client, namespace, caSecret), stateDir.resolve("ca"), trustDomain,
        clock);
    return Optional.empty();
  }

  /** Writes the {@link KubeNames#PLUGIN_CA_SECRET} Secret's CA into {@code dir}; empty when there is no such Secret. */
  static Optional<ControlPlaneOptions.PluginCa> pluginCa(KubernetesClient client, String namespace, Path dir) {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(KubeNames.PLUGIN_CA_SECRET).get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("cannot read Secret " + namespace + "/" + KubeNames.PLUGIN_CA_SECRET + " ("
          + e.getCode() + " " + e.getMessage() + "): the control plane's Role needs get on secrets in " + namespace,
          e);
    }
    if (secret == null) {
      return Optional.empty();
    }
    CaSecrets.PluginPems pems = CaSecrets.readPlugin(secret);
    Path cert = write(dir.resolve(CaSecrets.CA_CERT), pems.certPem(), false);
    Path key = write(dir.resolve(CaSecrets.CA_KEY), pems.keyPem(), true);
    String above = CaSecrets.chainToRoot(pems);
    Optional<Path> chain = above.isBlank() ? Optional.empty()
        : Optional.of(write(dir.resolve(CaSecrets.CERT_CHAIN), above, false));
    return Optional.of(new ControlPlaneOptions.PluginCa(cert, key, chain));
  }

  private static Path write(Path file, String text, boolean secret) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      if (secret) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage() + "; the control plane needs a"
          + " writable --state-dir (an emptyDir volume)", e);
    }
  }
}
