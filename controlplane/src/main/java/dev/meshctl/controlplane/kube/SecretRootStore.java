package dev.meshctl.controlplane.kube;

import dev.meshctl.controlplane.ca.RootStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the generated root CA in a Kubernetes Secret, create-only: a create that loses a race (409) reads the winner's
 * root instead, so every replica ends with one root.
 */
public final class SecretRootStore implements RootStore {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  /** Uses Secret {@code namespace/name}. */
  public SecretRootStore(KubernetesClient client, String namespace, String name) {
    this.client = Objects.requireNonNull(client, "client");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public Optional<Root> load() {
    return Optional.ofNullable(get()).map(CaSecrets::readRoot);
  }

  @Override
  public Root createIfAbsent(Root root) {
    Objects.requireNonNull(root, "root");
    try {
      client.secrets().inNamespace(namespace).resource(CaSecrets.root(namespace, name, root)).create();
      return root;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw refused("create", e);
      }
      Secret winner = get();
      if (winner == null) {
        throw new IllegalStateException("Secret " + describe() + " already existed on create but is gone now:"
            + " restart the control plane to try again", e);
      }
      return CaSecrets.readRoot(winner);
    }
  }

  @Override
  public String describe() {
    return "Secret " + namespace + "/" + name;
  }

  private Secret get() {
    try {
      return client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw refused("get", e);
    }
  }

  private IllegalStateException refused(String verb, KubernetesClientException e) {
    return new IllegalStateException("cannot " + verb + " " + describe() + " (" + e.getCode() + " " + e.getMessage()
        + "): the control plane's Role needs get and create on secrets in " + namespace, e);
  }
}
