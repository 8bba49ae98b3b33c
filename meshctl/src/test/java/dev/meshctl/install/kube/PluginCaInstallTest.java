package dev.meshctl.install.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.controlplane.ca.CaFiles;
import dev.meshctl.controlplane.ca.MeshCa;
import dev.meshctl.controlplane.kube.CaSecrets;
import dev.meshctl.controlplane.kube.KubeNames;
import dev.meshctl.lab.LabException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `install --context --ca-cert/--ca-key/--ca-chain` puts the plug-in CA in the cacerts Secret. */
@EnableKubernetesMockClient(crud = true)
class PluginCaInstallTest {
  KubernetesClient client;

  @TempDir
  Path dir;

  @Test
  void thePluginCaBecomesTheCacertsSecretBeforeTheControlPlane() throws Exception {
    MeshCa root = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
    CaFiles.save(root, dir);
    Path cert = dir.resolve(CaFiles.ROOT_CERT);
    Path key = dir.resolve(CaFiles.ROOT_KEY);
    KubeInstallOptions options = KubeInstallFlow.options("cluster.local", Optional.of(cert), Optional.of(key),
        Optional.empty());

    var rendered = MeshManifests.mesh(options);
    assertThat(rendered).extracting(o -> o.getKind()).containsSubsequence("Secret", "Deployment");
    new KubernetesInstaller(client).install(options, Optional.empty(), line -> {});

    Secret secret = client.secrets().inNamespace("istio-system").withName(KubeNames.PLUGIN_CA_SECRET).get();
    CaSecrets.PluginPems pems = CaSecrets.readPlugin(secret);
    assertThat(pems.certPem()).isEqualTo(Files.readString(cert));
    assertThat(pems.keyPem()).isEqualTo(Files.readString(key));
    assertThat(pems.rootPem()).isEqualTo(Files.readString(cert));
    assertThat(secret.getData()).containsOnlyKeys(CaSecrets.CA_CERT, CaSecrets.CA_KEY, CaSecrets.CERT_CHAIN,
        CaSecrets.ROOT_CERT);
  }

  @Test
  void refusesHalfAPluginCaAndFilesThatAreNotACa() throws Exception {
    Path cert = dir.resolve("ca-cert.pem");
    assertThatThrownBy(() -> KubeInstallFlow.options("cluster.local", Optional.of(cert), Optional.empty(),
        Optional.empty())).isInstanceOf(LabException.class).hasMessageContaining("both --ca-cert and --ca-key");
    assertThatThrownBy(() -> KubeInstallFlow.options("cluster.local", Optional.empty(), Optional.empty(),
        Optional.of(cert))).isInstanceOf(LabException.class).hasMessageContaining("--ca-chain needs");

    MeshCa a = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
    MeshCa b = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
    CaFiles.save(a, dir.resolve("a"));
    CaFiles.save(b, dir.resolve("b"));
    assertThatThrownBy(() -> KubeInstallFlow.options("cluster.local", Optional.of(dir.resolve("a/root-cert.pem")),
        Optional.of(dir.resolve("b/root-key.pem")), Optional.empty())).isInstanceOf(LabException.class)
        .hasMessageContaining("the plug-in CA cannot be used").hasMessageContaining("does not belong");
    assertThat(KubeInstallFlow.options("example.org", Optional.empty(), Optional.empty(), Optional.empty()))
        .satisfies(o -> {
          assertThat(o.pluginCa()).isEmpty();
          assertThat(o.trustDomain()).isEqualTo("example.org");
        });
  }
}
