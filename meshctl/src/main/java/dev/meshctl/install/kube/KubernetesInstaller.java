package dev.meshctl.install.kube;

import dev.meshctl.controlplane.kube.KubeNames;
import dev.meshctl.controlplane.kube.WaypointManifests;
import dev.meshctl.lab.kind.KubeApply;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Installs the mesh on any Kubernetes cluster and removes it again: CRDs only where the cluster lacks them, then the
 * namespace, RBAC, control plane and node agent. Uninstall also removes the waypoints the control plane created and
 * the CRDs that install created (never ones that were there before).
 *
 * <pre>{@code
 * try (KubernetesClient client = KubernetesInstaller.connect(Optional.of("kind-meshctl-default"))) {
 *   new KubernetesInstaller(client).install(KubeInstallOptions.of("meshctl/meshctl:0.1.0"),
 *       Optional.of(Duration.ofMinutes(2)), System.out::println);
 * }
 * }</pre>
 */
public final class KubernetesInstaller {
  private final KubernetesClient client;

  public KubernetesInstaller(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Connects with the kubeconfig's {@code context}, or its current context when empty. */
  public static KubernetesClient connect(Optional<String> context) {
    Objects.requireNonNull(context, "context");
    Config config = context.map(Config::autoConfigure).orElseGet(() -> Config.autoConfigure(null));
    if (context.isPresent() && !context.get().equals(config.getCurrentContext() == null ? null
        : config.getCurrentContext().getName())) {
      throw new IllegalArgumentException("kubeconfig has no context \"" + context.get()
          + "\": list contexts with `kubectl config get-contexts`");
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Applies the manifests; with {@code wait}, also waits for the control plane and every node agent to be ready.
   *
   * @return kubectl-like lines ("deployment.apps/meshctl-control-plane configured"): created, configured (server-side
   *     apply) or unchanged
   */
  public List<String> install(KubeInstallOptions options, Optional<Duration> wait, Consumer<String> out) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(wait, "wait");
    Objects.requireNonNull(out, "out");
    List<String> lines = new ArrayList<>();
    Consumer<String> report = line -> {
      lines.add(line);
      out.accept(line);
    };
    try {
      for (CustomResourceDefinition crd : CrdManifests.all()) {
        var existing = client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName());
        if (existing.get() != null) {
          report.accept(name(crd) + " unchanged (already installed)");
        } else {
          existing.create(crd);
          report.accept(name(crd) + " created");
        }
      }
      for (HasMetadata o : MeshManifests.mesh(options)) {
        report.accept(name(o) + " " + KubeApply.apply(client, o).word());
      }
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("installing on the cluster failed (" + e.getCode() + " " + e.getMessage()
          + "): check that your kubeconfig user may create cluster-scoped objects (CRDs, ClusterRoles)", e);
    }
    wait.ifPresent(timeout -> awaitReady(options.namespace(), timeout, report));
    return lines;
  }

  /** Deletes everything {@link #install} and the control plane created; returns kubectl-like lines. */
  public List<String> uninstall(KubeInstallOptions options, Consumer<String> out) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(out, "out");
    List<String> lines = new ArrayList<>();
    for (Deployment d : client.apps().deployments().inAnyNamespace()
        .withLabel(KubeNames.MANAGED_BY, KubeNames.MANAGED_BY_VALUE).withLabel(WaypointManifests.GATEWAY_NAME)
        .list().getItems()) {
      for (HasMetadata part : List.of(d,
          service(d.getMetadata().getNamespace(), d.getMetadata().getName()),
          account(d.getMetadata().getNamespace(), d.getMetadata().getName()))) {
        delete(part, lines, out);
      }
    }
    List<HasMetadata> mesh = new ArrayList<>(MeshManifests.mesh(options));
    Collections.reverse(mesh);
    mesh.forEach(o -> delete(o, lines, out));
    for (CustomResourceDefinition crd : CrdManifests.all()) {
      CustomResourceDefinition existing = client.apiextensions().v1().customResourceDefinitions()
          .withName(crd.getMetadata().getName()).get();
      boolean ours = existing != null && existing.getMetadata().getLabels() != null
          && KubeNames.MANAGED_BY_VALUE.equals(existing.getMetadata().getLabels().get(KubeNames.MANAGED_BY));
      if (ours) {
        delete(existing, lines, out);
      }
    }
    return lines;
  }

  private void delete(HasMetadata o, List<String> lines, Consumer<String> out) {
    var deleted = client.resource(o).delete();
    String line = name(o) + (deleted == null || deleted.isEmpty() ? " not found" : " deleted");
    lines.add(line);
    out.accept(line);
  }

  private void awaitReady(String namespace, Duration timeout, Consumer<String> report) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      client.apps().deployments().inNamespace(namespace).withName(KubeNames.CONTROL_PLANE)
          .waitUntilReady(timeout.toMillis(), TimeUnit.MILLISECONDS);
      report.accept("✔ control plane ready");
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      client.apps().daemonSets().inNamespace(namespace).withName(KubeNames.NODE_AGENT)
          .waitUntilCondition(MeshManifestsReady::daemonSetReady, left, TimeUnit.MILLISECONDS);
      report.accept("✔ node agents ready");
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("the mesh was applied but is not ready within " + timeout.toSeconds()
          + "s: see `kubectl -n " + namespace + " get pods` and the logs of pods that are not Ready", e);
    }
  }

  private static String name(HasMetadata o) {
    String group = o.getApiVersion() != null && o.getApiVersion().contains("/")
        ? "." + o.getApiVersion().substring(0, o.getApiVersion().indexOf('/')) : "";
    return o.getKind().toLowerCase(Locale.ROOT) + group + "/" + o.getMetadata().getName();
  }

  private static HasMetadata service(String ns, String name) {
    return new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name)
        .endMetadata().build();
  }

  private static HasMetadata account(String ns, String name) {
    return new io.fabric8.kubernetes.api.model.ServiceAccountBuilder().withNewMetadata().withNamespace(ns)
        .withName(name).endMetadata().build();
  }

  /** Decides when a rollout is done, separate from the waiting. */
  static final class MeshManifestsReady {
    private MeshManifestsReady() {}

    static boolean daemonSetReady(DaemonSet ds) {
      if (ds == null || ds.getStatus() == null) {
        return false;
      }
      Integer desired = ds.getStatus().getDesiredNumberScheduled();
      Integer ready = ds.getStatus().getNumberReady();
      return desired != null && desired > 0 && desired.equals(ready);
    }
  }
}
