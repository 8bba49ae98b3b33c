package dev.meshctl.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.controlplane.ca.CaFiles;
import dev.meshctl.controlplane.ca.MeshCa;
import dev.meshctl.controlplane.ca.RootStore;
import dev.meshctl.controlplane.server.ControlPlaneOptions;
import dev.meshctl.core.identity.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the in-cluster CA in Secrets of fabric8's mock API server: a restart is a new control plane instance. */
@EnableKubernetesMockClient(crud = true)
class KubeCaTest {
  private static final String NS = "istio-system";
  KubernetesClient client;

  @TempDir
  Path dir;

  @Test
  void aRestartedControlPlaneReadsTheSameRootFromTheSecret() {
    MeshCa first = start(dir.resolve("pod-1"));
    Secret secret = client.secrets().inNamespace(NS).withName(KubeNames.CA_SECRET).get();
    assertThat(secret.getType()).isEqualTo("istio.io/ca-root");
    assertThat(secret.getData()).containsOnlyKeys(CaSecrets.CA_CERT, CaSecrets.CA_KEY);

    MeshCa restarted = start(dir.resolve("pod-2"));
    assertThat(restarted.root()).isEqualTo(first.root());
  }

  @Test
  void twoStoresRacingKeepTheFirstRoot() {
    SecretRootStore a = new SecretRootStore(client, NS, KubeNames.CA_SECRET);
    SecretRootStore b = new SecretRootStore(client, NS, KubeNames.CA_SECRET);
    RootStore.Root mine = root();
    RootStore.Root theirs = root();
    assertThat(a.createIfAbsent(mine)).isEqualTo(mine);
    assertThat(b.createIfAbsent(theirs)).as("create-only: the 409 answer hands back the stored root").isEqualTo(mine);
    assertThat(b.load()).contains(mine);
    assertThat(b.describe()).isEqualTo("Secret istio-system/meshctl-ca-secret");
  }

  @Test
  void aPluginCaInCacertsWinsOverTheGeneratedRoot() throws Exception {
    start(dir.resolve("before"));
    MeshCa plugin = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
    CaFiles.save(plugin, dir.resolve("plugin"));
    String cert = Files.readString(dir.resolve("plugin").resolve(CaFiles.ROOT_CERT));
    String key = Files.readString(dir.resolve("plugin").resolve(CaFiles.ROOT_KEY));
    client.secrets().inNamespace(NS).resource(CaSecrets.plugin(NS, new CaSecrets.PluginPems(cert, key, cert, cert)))
        .create();

    Path state = dir.resolve("pod");
    Optional<ControlPlaneOptions.PluginCa> found = KubeCa.prepare(client, NS, KubeNames.CA_SECRET, state,
        "cluster.local", Clock.systemUTC());
    assertThat(found).isPresent();
    assertThat(found.get().cert()).isEqualTo(state.resolve("cacerts").resolve(CaSecrets.CA_CERT));
    assertThat(Files.getPosixFilePermissions(found.get().key())).extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    assertThat(options(state, found).loadCa(Clock.systemUTC()).root()).isEqualTo(plugin.root());
  }

  @Test
  void anIncompleteSecretSaysWhichKeyIsMissingAndWhatToDo() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withNamespace(NS)
        .withName(KubeNames.CA_SECRET).endMetadata().addToData(CaSecrets.CA_CERT, "eA==").build()).create();
    assertThatThrownBy(() -> start(dir.resolve("pod"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Secret istio-system/meshctl-ca-secret has no ca-key.pem")
        .hasMessageContaining("delete it");
  }

  @Test
  void chainToRootAppendsTheRootOnlyWhenTheChainStopsShortOfIt() {
    assertThat(CaSecrets.chainToRoot(new CaSecrets.PluginPems("I", "K", "I\n", "R"))).isEqualTo("I\nR\n");
    assertThat(CaSecrets.chainToRoot(new CaSecrets.PluginPems("I", "K", "I\nR\n", "R"))).isEqualTo("I\nR\n");
    assertThat(CaSecrets.chainToRoot(new CaSecrets.PluginPems("R", "K", "", "R"))).as("a root CA").isEmpty();
    assertThat(CaSecrets.chainToRoot(new CaSecrets.PluginPems("I", "K", "", "R"))).isEqualTo("R\n");
    assertThat(new CaSecrets.PluginPems("I", "SECRET", "", "R").toString()).doesNotContain("SECRET");
  }

  /** Starts the CA the way the in-cluster control plane does, in a fresh state directory (an emptyDir). */
  private MeshCa start(Path state) {
    Optional<ControlPlaneOptions.PluginCa> plugin = KubeCa.prepare(client, NS, KubeNames.CA_SECRET, state,
        "cluster.local", Clock.systemUTC());
    assertThat(plugin).isEmpty();
    return options(state, plugin).loadCa(Clock.systemUTC());
  }

  private static ControlPlaneOptions options(Path state, Optional<ControlPlaneOptions.PluginCa> plugin) {
    return new ControlPlaneOptions(state, state.resolve("store"), new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), "cluster.local", List.of(), List.of(), plugin);
  }

  private static RootStore.Root root() {
    MeshCa ca = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
    return new RootStore.Root(Pem.encodeCertificate(ca.root()), "KEY-" + System.nanoTime());
  }
}
