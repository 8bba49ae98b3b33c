package dev.meshctl.nodeagent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.KeyPairs;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.SpiffeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaTest {

  @TempDir
  Path dir;

  @Test
  void loadsACaDirectoryAndIssuesVerifiableCertificates() throws Exception {
    LocalCa generated = LocalCa.selfSigned("cluster.local", Duration.ofHours(1), Clock.systemUTC());
    generated.writeTo(dir);

    LocalCa loaded = LocalCa.load(dir, "cluster.local", Clock.systemUTC());
    var fetched = loaded.issue(SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b"));

    assertThat(loaded.root()).isEqualTo(generated.root());
    assertThat(fetched.bundle().roots()).containsExactly(generated.root());
    assertThat(new dev.meshctl.core.identity.SvidVerifier(generated.bundle(), Clock.systemUTC())
        .verify(fetched.certificate().chain())).hasToString("spiffe://cluster.local/ns/a/sa/b");
  }

  @Test
  void namesTheMissingFile() {
    assertThatThrownBy(() -> LocalCa.load(dir, "cluster.local", Clock.systemUTC()))
        .isInstanceOf(IdentityException.class).hasMessageContaining(LocalCa.ROOT_CERT).hasMessageContaining(dir.toString());
  }

  @Test
  void refusesAKeyThatDoesNotBelongToTheCertificate() throws Exception {
    LocalCa generated = LocalCa.selfSigned("cluster.local", Duration.ofHours(1), Clock.systemUTC());
    Files.writeString(dir.resolve(LocalCa.ROOT_CERT), Pem.encodeCertificate(generated.root()));
    Files.writeString(dir.resolve(LocalCa.ROOT_KEY), Pem.encodePrivateKey(KeyPairs.ecP256().getPrivate()));

    assertThatThrownBy(() -> LocalCa.load(dir, "cluster.local", Clock.systemUTC()))
        .isInstanceOf(IdentityException.class).hasMessageContaining("does not belong to the CA certificate");
  }

  @Test
  void refusesIdentitiesOfAnotherTrustDomain() {
    LocalCa ca = LocalCa.selfSigned("cluster.local", Duration.ofHours(1), Clock.systemUTC());
    assertThatThrownBy(() -> ca.issue(SpiffeId.parse("spiffe://other.local/ns/a/sa/b")))
        .isInstanceOf(IdentityException.class).hasMessageContaining("trust domain 'cluster.local'");
  }
}
