package dev.meshctl.controlplane.kube;

import dev.meshctl.controlplane.ca.RootStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders and reads the CA Secrets, with no I/O: the generated root in {@link KubeNames#CA_SECRET} (keys
 * {@code ca-cert.pem}, {@code ca-key.pem}, as Istio's {@code istio-ca-secret}) and a plug-in CA in
 * {@link KubeNames#PLUGIN_CA_SECRET} (Istio's {@code cacerts}: {@code ca-cert.pem}, {@code ca-key.pem},
 * {@code cert-chain.pem}, {@code root-cert.pem}).
 */
public final class CaSecrets {
  public static final String CA_CERT = "ca-cert.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String CERT_CHAIN = "cert-chain.pem";
  public static final String ROOT_CERT = "root-cert.pem";
  /** The Secret type Istio gives its self-signed root. */
  static final String ROOT_TYPE = "istio.io/ca-root";

  private CaSecrets() {}

  /** Holds a plug-in CA as PEM: the signing certificate and key, the chain above it, and the root. */
  public record PluginPems(String certPem, String keyPem, String chainPem, String rootPem) {
    public PluginPems {
      Objects.requireNonNull(certPem, "certPem");
      Objects.requireNonNull(keyPem, "keyPem");
      Objects.requireNonNull(chainPem, "chainPem");
      Objects.requireNonNull(rootPem, "rootPem");
    }

    @Override
    public String toString() {
      return "PluginPems[key=<redacted>]";
    }
  }

  /** Renders Secret {@code name} in {@code namespace} holding generated root {@code root}. */
  public static Secret root(String namespace, String name, RootStore.Root root) {
    Objects.requireNonNull(root, "root");
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CA_CERT, root.certPem());
    data.put(CA_KEY, root.keyPem());
    return secret(namespace, name, ROOT_TYPE, data);
  }

  /** Renders the {@link KubeNames#PLUGIN_CA_SECRET} Secret in {@code namespace}. */
  public static Secret plugin(String namespace, PluginPems pems) {
    Objects.requireNonNull(pems, "pems");
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CA_CERT, pems.certPem());
    data.put(CA_KEY, pems.keyPem());
    data.put(CERT_CHAIN, pems.chainPem());
    data.put(ROOT_CERT, pems.rootPem());
    return secret(namespace, KubeNames.PLUGIN_CA_SECRET, "Opaque", data);
  }

  /**
   * Reads a generated root back.
   *
   * @throws IllegalStateException naming the Secret and the missing key when it is incomplete
   */
  public static RootStore.Root readRoot(Secret secret) {
    Objects.requireNonNull(secret, "secret");
    return new RootStore.Root(required(secret, CA_CERT), required(secret, CA_KEY));
  }

  /**
   * Reads a plug-in CA back; {@code cert-chain.pem} and {@code root-cert.pem} may be empty for a root CA.
   *
   * @throws IllegalStateException naming the Secret and the missing key when it is incomplete
   */
  public static PluginPems readPlugin(Secret secret) {
    Objects.requireNonNull(secret, "secret");
    return new PluginPems(required(secret, CA_CERT), required(secret, CA_KEY),
        value(secret, CERT_CHAIN).orElse(""), value(secret, ROOT_CERT).orElse(""));
  }

  /**
   * Returns the chain to load a plug-in CA with: {@code cert-chain.pem}, with {@code root-cert.pem} appended when the
   * chain stops short of it (Istio's tools write either form); empty for a root CA.
   */
  public static String chainToRoot(PluginPems pems) {
    Objects.requireNonNull(pems, "pems");
    String chain = pems.chainPem().strip();
    String root = pems.rootPem().strip();
    if (root.isEmpty() || chain.contains(root) || root.equals(pems.certPem().strip())) {
      return chain.isEmpty() ? "" : chain + "\n";
    }
    return (chain.isEmpty() ? "" : chain + "\n") + root + "\n";
  }

  private static Secret secret(String namespace, String name, String type, Map<String, String> data) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .addToLabels(KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE).endMetadata()
        .withType(type).withData(encoded).build();
  }

  private static String required(Secret secret, String key) {
    return value(secret, key).filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException("Secret "
        + secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName() + " has no " + key
        + ": delete it to let the control plane generate a root, or recreate it with every key"));
  }

  private static Optional<String> value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key).trim()),
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("Secret " + secret.getMetadata().getName() + " key " + key
            + " is not base64: recreate the Secret with kubectl create secret generic --from-file", e);
      }
    }
    // stringData is what a hand-written manifest may carry before the API server folds it into data.
    return secret.getStringData() == null ? Optional.empty() : Optional.ofNullable(secret.getStringData().get(key));
  }
}
