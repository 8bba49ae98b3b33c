package dev.meshctl.controlplane.kube;

import dev.meshctl.controlplane.source.ObjectSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a waypoint Deployment (with its ServiceAccount and Service) for every waypoint Gateway the source holds:
 * creates it, updates it when what it renders to changes (the Gateway, its uid, the image), and removes the ones meshctl
 * created whose Gateway is gone. Owner references on the Gateway also let Kubernetes delete them while the control
 * plane is down. A Deployment of the same name that meshctl did not create is left alone.
 *
 * <pre>{@code
 * Closeable stop = new WaypointDeployer(client, System.getenv("MESHCTL_IMAGE"), "istio-system").follow(source);
 * }</pre>
 */
public final class WaypointDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(WaypointDeployer.class);

  private final KubernetesClient client;
  private final String image;
  private final String meshNamespace;
  private final java.util.Optional<String> rootPem;

  /** Creates a deployer that runs waypoints from {@code image}. */
  public WaypointDeployer(KubernetesClient client, String image, String meshNamespace) {
    this(client, image, meshNamespace, java.util.Optional.empty());
  }

  private WaypointDeployer(KubernetesClient client, String image, String meshNamespace,
      java.util.Optional<String> rootPem) {
    this.client = Objects.requireNonNull(client, "client");
    this.image = Objects.requireNonNull(image, "image");
    this.meshNamespace = Objects.requireNonNull(meshNamespace, "meshNamespace");
    this.rootPem = rootPem;
  }

  /**
   * Returns a deployer that also publishes the mesh root ({@code pem}) in each waypoint's namespace: a waypoint
   * mounts ConfigMap {@link KubeNames#ROOT_CERT_CONFIG_MAP} from its own namespace to trust the control plane.
   */
  public WaypointDeployer withRootCert(String pem) {
    return new WaypointDeployer(client, image, meshNamespace, java.util.Optional.of(Objects.requireNonNull(pem, "pem")));
  }

  /** Reconciles now and after every change of {@code source}; closing stops following. */
  public Closeable follow(ObjectSource source) {
    Objects.requireNonNull(source, "source");
    reconcileQuietly(source);
    return source.watch(() -> reconcileQuietly(source));
  }

  /** Applies the waypoint objects for {@code objects}' waypoint Gateways and deletes orphans; returns what changed. */
  public synchronized List<String> reconcile(List<HasMetadata> objects) {
    List<String> changed = new ArrayList<>();
    Set<String> wanted = new TreeSet<>();
    for (HasMetadata o : objects) {
      if (o instanceof Gateway g && WaypointManifests.isWaypoint(g)) {
        String key = g.getMetadata().getNamespace() + "/" + g.getMetadata().getName();
        wanted.add(key);
        Deployment existing = client.apps().deployments().inNamespace(g.getMetadata().getNamespace())
            .withName(g.getMetadata().getName()).get();
        List<HasMetadata> parts = WaypointManifests.forGateway(g, image, meshNamespace);
        publishRootCert(g.getMetadata().getNamespace());
        switch (decide(existing, parts.get(1).getMetadata().getAnnotations().get(WaypointManifests.RENDERED))) {
          case CREATE -> {
            parts.forEach(this::apply);
            changed.add("waypoint " + key + " created");
          }
          case UPDATE -> {
            parts.forEach(this::apply);
            changed.add("waypoint " + key + " updated");
          }
          case FOREIGN -> LOG.warn("Deployment {} exists but was not created by meshctl (no label {}={}): rename the"
              + " Gateway or delete that Deployment to get a waypoint", key, KubeNames.MANAGED_BY,
              KubeNames.MANAGED_BY_VALUE);
          case KEEP -> { }
        }
      }
    }
    for (Deployment d : client.apps().deployments().inAnyNamespace()
        .withLabel(KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE).withLabel(WaypointManifests.GATEWAY_NAME)
        .list().getItems()) {
      String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
      if (!wanted.contains(key)) {
        String ns = d.getMetadata().getNamespace();
        String name = d.getMetadata().getName();
        client.apps().deployments().inNamespace(ns).withName(name).delete();
        client.services().inNamespace(ns).withName(name).delete();
        client.serviceAccounts().inNamespace(ns).withName(name).delete();
        changed.add("waypoint " + key + " deleted");
      }
    }
    return changed;
  }

  private void publishRootCert(String namespace) {
    if (rootPem.isEmpty()) {
      return;
    }
    var live = client.configMaps().inNamespace(namespace).withName(KubeNames.ROOT_CERT_CONFIG_MAP).get();
    if (live == null || live.getData() == null
        || !rootPem.get().equals(live.getData().get(KubeNames.ROOT_CERT_KEY))) {
      RootCertPublisher.publish(client, namespace, rootPem.get());
    }
  }

  /** What to do about one waypoint Gateway. */
  enum Action { CREATE, UPDATE, KEEP, FOREIGN }

  /** Decides from the live Deployment ({@code null} when missing) and the digest of what the Gateway renders to. */
  static Action decide(Deployment existing, String digest) {
    if (existing == null) {
      return Action.CREATE;
    }
    var meta = existing.getMetadata();
    if (meta.getLabels() == null || !KubeNames.MANAGED_BY_VALUE.equals(meta.getLabels().get(KubeNames.MANAGED_BY))) {
      return Action.FOREIGN;
    }
    String live = meta.getAnnotations() == null ? null : meta.getAnnotations().get(WaypointManifests.RENDERED);
    return digest.equals(live) ? Action.KEEP : Action.UPDATE;
  }

  /** Creates {@code part}, or server-side applies it over the live one (replacing it where apply is unsupported). */
  private void apply(HasMetadata part) {
    if (client.resource(part).get() == null) {
      client.resource(part).create();
      return;
    }
    try {
      client.resource(part).fieldManager("meshctl").forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 415) {
        throw e;
      }
      client.resource(part).update();
    }
  }

  private void reconcileQuietly(ObjectSource source) {
    try {
      reconcile(source.list()).forEach(line -> LOG.info("{}", line));
    } catch (KubernetesClientException e) {
      LOG.warn("could not reconcile waypoint Deployments ({}): check the control plane's RBAC for deployments,"
          + " services and serviceaccounts", e.getMessage());
    }
  }
}
