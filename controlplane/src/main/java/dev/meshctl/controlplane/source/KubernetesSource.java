package dev.meshctl.controlplane.source;

import dev.meshctl.objects.Kind;
import dev.meshctl.objects.Kinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the mesh's objects from a Kubernetes API server with one informer per supported kind (namespaces, pods,
 * services, service accounts, deployments, Istio policies, Gateway API gateways and routes). A custom kind whose CRD
 * is not installed is skipped with a warning, so a cluster without the Gateway API still runs an L4 mesh.
 *
 * <pre>{@code
 * try (KubernetesSource source = KubernetesSource.start(client, Duration.ofSeconds(30))) {
 *   new ControlPlane(options, source, translation).start();
 * }
 * }</pre>
 */
public final class KubernetesSource implements ObjectSource, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSource.class);
  private static final Map<String, String> CRD_GROUPS = Map.of(
      "security.istio.io", "Istio security", "gateway.networking.k8s.io", "Gateway API");

  private final List<SharedIndexInformer<? extends HasMetadata>> informers;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<String> skipped;

  private KubernetesSource(List<SharedIndexInformer<? extends HasMetadata>> informers, List<String> skipped) {
    this.informers = informers;
    this.skipped = skipped;
  }

  /**
   * Starts the informers and waits up to {@code syncTimeout} for their first full list.
   *
   * @throws IllegalStateException when the API server refuses a list or the first sync does not finish in time
   */
  public static KubernetesSource start(KubernetesClient client, Duration syncTimeout) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(syncTimeout, "syncTimeout");
    List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    KubernetesSource source = new KubernetesSource(informers, skipped);
    try {
      for (Kind kind : Kinds.all()) {
        String group = group(kind);
        if (CRD_GROUPS.containsKey(group) && !crdInstalled(client, kind, group)) {
          LOG.warn("{} is not served by this cluster (no CRD {}.{}): install the {} CRDs to use it",
              kind.name(), kind.plural(), group, CRD_GROUPS.get(group));
          skipped.add(kind.name());
          continue;
        }
        informers.add(source.inform(client, kind));
      }
      long deadline = System.nanoTime() + syncTimeout.toNanos();
      for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
        long left = Math.max(1, deadline - System.nanoTime());
        informer.start().toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      source.close();
      throw new IllegalStateException("the Kubernetes API server did not list every kind within " + syncTimeout
          + ": check the control plane's network access to the API server", e);
    } catch (java.util.concurrent.ExecutionException | KubernetesClientException e) {
      source.close();
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("listing from the Kubernetes API server failed (" + cause.getMessage()
          + "): check the control plane's ClusterRole allows get, list and watch on every kind it reads", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      source.close();
      throw new IllegalStateException("interrupted while listing from the Kubernetes API server", e);
    }
    return source;
  }

  /** Lists the kinds skipped because their CRD is not installed. */
  public List<String> skippedKinds() {
    return List.copyOf(skipped);
  }

  @Override
  public List<HasMetadata> list() {
    List<HasMetadata> out = new ArrayList<>();
    for (SharedIndexInformer<? extends HasMetadata> informer : informers) {
      out.addAll(informer.getStore().list());
    }
    return out;
  }

  @Override
  public Closeable watch(Runnable onChange) {
    Objects.requireNonNull(onChange, "onChange");
    listeners.add(onChange);
    return () -> listeners.remove(onChange);
  }

  @Override
  public void close() {
    listeners.clear();
    informers.forEach(SharedIndexInformer::stop);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(KubernetesClient client, Kind kind) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) kind.type();
    var resources = client.resources(type);
    SharedIndexInformer<T> informer = kind.namespaced()
        ? resources.inAnyNamespace().runnableInformer(0) : resources.runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T obj) {
        changed();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        // Resyncs and status-only writes arrive as updates with the same resource version.
        if (!Objects.equals(version(oldObj), version(newObj))) {
          changed();
        }
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changed();
      }
    });
    return informer;
  }

  private void changed() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("a change listener failed: {}", e.toString());
      }
    }
  }

  private static String version(HasMetadata o) {
    return o.getMetadata() == null ? null : o.getMetadata().getResourceVersion();
  }

  private static String group(Kind kind) {
    String api = kind.apiVersion();
    int slash = api.indexOf('/');
    return slash < 0 ? "" : api.substring(0, slash);
  }

  private static boolean crdInstalled(KubernetesClient client, Kind kind, String group) {
    return client.apiextensions().v1().customResourceDefinitions().withName(kind.plural() + "." + group).get() != null;
  }
}
