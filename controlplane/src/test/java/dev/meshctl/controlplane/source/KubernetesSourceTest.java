package dev.meshctl.controlplane.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.AuthorizationPolicySpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesSourceTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void listsEveryKindAndSkipsCustomKindsWithoutCrd() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop")
        .addToLabels("istio.io/dataplane-mode", "ambient").endMetadata().build()).create();
    client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-1")
        .withNamespace("shop").endMetadata().withNewSpec().withNodeName("n1").endSpec().build()).create();
    client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("web")
        .withNamespace("shop").endMetadata().build()).create();

    try (KubernetesSource source = KubernetesSource.start(client, Duration.ofSeconds(20))) {
      assertThat(names(source.list())).contains("Namespace shop", "Pod shop/web-1", "Service shop/web");
      assertThat(source.skippedKinds())
          .containsExactlyInAnyOrder("AuthorizationPolicy", "PeerAuthentication", "Gateway", "HTTPRoute");
    }
  }

  @Test
  void readsIstioPoliciesWhenTheirCrdIsInstalledAndReportsChanges() {
    crd("authorizationpolicies", "AuthorizationPolicy", "security.istio.io");
    crd("peerauthentications", "PeerAuthentication", "security.istio.io");
    client.resources(AuthorizationPolicy.class).inNamespace("shop").resource(new AuthorizationPolicy(
        new ObjectMetaBuilder().withName("deny-all").withNamespace("shop").build(), new AuthorizationPolicySpec(null, null, null, "DENY", null, null)))
        .create();

    try (KubernetesSource source = KubernetesSource.start(client, Duration.ofSeconds(20))) {
      assertThat(source.skippedKinds()).containsExactlyInAnyOrder("Gateway", "HTTPRoute");
      assertThat(names(source.list())).contains("AuthorizationPolicy shop/deny-all");
      assertThat(source.list()).filteredOn(o -> o instanceof AuthorizationPolicy).hasSize(1);

      AtomicInteger changes = new AtomicInteger();
      var watch = source.watch(changes::incrementAndGet);
      client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("web-2")
          .withNamespace("shop").endMetadata().build()).create();
      awaitTrue(() -> changes.get() > 0 && names(source.list()).contains("Pod shop/web-2"));

      closeQuietly(watch);
      int before = changes.get();
      client.pods().inNamespace("shop").withName("web-2").delete();
      awaitTrue(() -> !names(source.list()).contains("Pod shop/web-2"));
      assertThat(changes.get()).isEqualTo(before);
    }
  }

  @Test
  void watchRejectsNull() {
    try (KubernetesSource source = KubernetesSource.start(client, Duration.ofSeconds(20))) {
      org.assertj.core.api.Assertions.assertThatNullPointerException().isThrownBy(() -> source.watch(null));
    }
  }

  private void crd(String plural, String kind, String group) {
    client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + "." + group).endMetadata().withNewSpec().withGroup(group)
        .withScope("Namespaced").withNewNames().withPlural(plural).withKind(kind)
        .withSingular(kind.toLowerCase(java.util.Locale.ROOT)).endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();
  }

  private static List<String> names(List<HasMetadata> objects) {
    return objects.stream().map(dev.meshctl.objects.Kinds::describe).toList();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
