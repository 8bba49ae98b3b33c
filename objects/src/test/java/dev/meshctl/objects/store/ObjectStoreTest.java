package dev.meshctl.objects.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.objects.ObjectParser;
import dev.meshctl.objects.istio.AuthorizationPolicy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreTest {
  @TempDir
  Path root;

  private static final String OBJECTS = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: reviews-v1, namespace: bookinfo, labels: {app: reviews}}
      spec:
        replicas: 1
        selector: {matchLabels: {app: reviews}}
        template:
          metadata: {labels: {app: reviews}}
          spec:
            containers: [{name: reviews, image: 'reviews:1', ports: [{containerPort: 9080}]}]
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: productpage-viewer}
      spec:
        targetRefs: [{kind: Service, group: "", name: productpage}]
        rules: [{from: [{source: {principals: [cluster.local/ns/default/sa/curl]}}], to: [{operation: {methods: [GET]}}]}]
      """;

  static Service service(String name, int port) {
    return new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addNewPort().withPort(port).endPort().endSpec().build();
  }

  @Test
  void createsKindDirectoriesUpFront() {
    new ObjectStore(root);

    assertThat(root.resolve("authorizationpolicies")).isDirectory();
    assertThat(root.resolve("namespaces")).isDirectory();
    assertThat(root.resolve("httproutes")).isDirectory();
  }

  @Test
  void roundTripsObjectsAndAssignsMetadata() {
    ObjectStore store = new ObjectStore(root);
    List<HasMetadata> objects = ObjectParser.withoutValidation().parse("x", OBJECTS).stream()
        .map(p -> p.object()).toList();

    List<HasMetadata> stored = store.putAll(objects);

    assertThat(root.resolve("deployments/bookinfo/reviews-v1.yaml")).isRegularFile();
    assertThat(root.resolve("authorizationpolicies/default/productpage-viewer.yaml")).isRegularFile();
    Deployment deployment = store.get(Deployment.class, "bookinfo", "reviews-v1").orElseThrow();
    assertThat(deployment).isEqualTo(stored.get(0));
    assertThat(deployment.getMetadata().getUid()).isNotBlank();
    assertThat(deployment.getMetadata().getCreationTimestamp()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(deployment.getMetadata().getResourceVersion()).isEqualTo("1");
    AuthorizationPolicy policy = store.get(AuthorizationPolicy.class, null, "productpage-viewer").orElseThrow();
    assertThat(policy).isEqualTo(stored.get(1));
    assertThat(policy.getMetadata().getResourceVersion()).isEqualTo("2");
    assertThat(store.revision()).isEqualTo(2);
    assertThat(objects.get(0).getMetadata().getUid()).as("the argument is not modified").isNull();
    assertThat(store.list(AuthorizationPolicy.class)).containsExactly(policy);
    assertThat(store.listAll()).containsExactly(deployment, policy);
  }

  @Test
  void replacingKeepsIdentityAndAdvancesVersion() {
    ObjectStore store = new ObjectStore(root);
    Service first = store.put(service("web", 80));

    Service second = store.put(service("web", 8080));

    assertThat(second.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    assertThat(second.getMetadata().getCreationTimestamp()).isEqualTo(first.getMetadata().getCreationTimestamp());
    assertThat(Long.parseLong(second.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(first.getMetadata().getResourceVersion()));
    assertThat(store.get(Service.class, "default", "web").orElseThrow().getSpec().getPorts().get(0).getPort())
        .isEqualTo(8080);
  }

  @Test
  void clusterScopedObjectsLiveUnderClusterDirectory() {
    ObjectStore store = new ObjectStore(root);

    store.put(new NamespaceBuilder().withNewMetadata().withName("bookinfo").endMetadata().build());

    assertThat(root.resolve("namespaces/_cluster/bookinfo.yaml")).isRegularFile();
    assertThat(store.get(Namespace.class, null, "bookinfo")).isPresent();
  }

  @Test
  void putAllStoresNothingWhenOneWriteFails() throws Exception {
    ObjectStore store = new ObjectStore(root);
    Service original = store.put(service("a", 80));
    // A non-empty directory where c's file must go makes that write fail after a and b were written.
    Path inTheWay = root.resolve("services/default/c.yaml");
    Files.createDirectories(inTheWay);
    Files.writeString(inTheWay.resolve("keep"), "x");
    long revisionBefore = store.revision();

    assertThatThrownBy(() -> store.putAll(List.of(service("a", 81), service("b", 80), service("c", 80))))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("Service default/c")
        .hasMessageContaining("nothing from this write was stored");

    assertThat(store.get(Service.class, "default", "a")).contains(original);
    assertThat(store.get(Service.class, "default", "b")).isEmpty();
    assertThat(store.revision()).as("versions handed out are never reused").isGreaterThan(revisionBefore);
    try (var files = Files.list(root.resolve("services/default"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.yaml", "c.yaml");
    }
  }

  @Test
  void putAllRefusesBadInputBeforeWritingAnything() {
    ObjectStore store = new ObjectStore(root);

    assertThatThrownBy(() -> store.putAll(List.of(service("a", 80), service("a", 81))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> store.put(service("../escape", 80)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../escape");
    assertThatThrownBy(() -> store.put(new ServiceBuilder().withNewMetadata().endMetadata().build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.name");
    assertThat(store.listAll()).isEmpty();
    assertThat(store.revision()).isZero();
  }

  @Test
  void deleteRemovesTheFileOnce() {
    ObjectStore store = new ObjectStore(root);
    store.put(service("web", 80));

    assertThat(store.delete(Service.class, "default", "web")).isTrue();
    assertThat(store.delete(Service.class, "default", "web")).isFalse();
    assertThat(store.get(Service.class, "default", "web")).isEmpty();
    assertThat(store.revision()).isEqualTo(2);
  }

  @Test
  void lostRevisionFileContinuesAfterNewestObject() throws Exception {
    ObjectStore store = new ObjectStore(root);
    store.put(service("a", 80));
    store.put(service("b", 80));
    Files.delete(root.resolve(".revision"));

    Service c = store.put(service("c", 80));

    assertThat(c.getMetadata().getResourceVersion()).isEqualTo("3");
  }

  @Test
  void skipsFilesItCannotRead() throws Exception {
    ObjectStore store = new ObjectStore(root);
    store.put(service("good", 80));
    Files.writeString(root.resolve("services/default/broken.yaml"), "apiVersion: v1\nkind: Service\nspec: [");

    assertThat(store.list(Service.class)).extracting(s -> s.getMetadata().getName()).containsExactly("good");
  }

  @Test
  void concurrentWritersGetDistinctVersions() throws Exception {
    ObjectStore store = new ObjectStore(root);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<String>>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        // A second ObjectStore on the same root stands in for a second process.
        ObjectStore handle = writer == 0 ? store : new ObjectStore(root);
        writers.add(pool.submit(() -> {
          List<String> versions = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            versions.add(handle.put(service("w" + writer + "-" + i, 80)).getMetadata().getResourceVersion());
          }
          return versions;
        }));
      }
      Set<String> versions = new HashSet<>();
      for (Future<List<String>> writer : writers) {
        versions.addAll(writer.get());
      }
      assertThat(versions).hasSize(40);
      assertThat(store.revision()).isEqualTo(40);
      assertThat(store.list(Service.class)).hasSize(40);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void watcherIsClosable() throws Exception {
    ObjectStore store = new ObjectStore(root);
    Closeable watch = store.watch(e -> { });

    watch.close();
    watch.close();
  }
}
