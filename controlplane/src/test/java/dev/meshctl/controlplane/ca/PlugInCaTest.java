package dev.meshctl.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.core.identity.CertificateRequests;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.KeyPairs;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.SvidVerifier;
import dev.meshctl.core.identity.TrustBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlugInCaTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final SpiffeId CURL = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl");

    @TempDir
    Path dir;

    @Test
    void signsUnderAPlugInIntermediateAndShipsItInTheChain() throws Exception {
        MeshCa operatorRoot = MeshCa.generateRoot("cluster.local", CLOCK);
        TestCas.PlugIn files = TestCas.intermediate(operatorRoot, dir, CLOCK.instant(), true);

        MeshCa ca = MeshCa.load(files.cert(), files.key(), Optional.of(files.chain()), "cluster.local", CLOCK);
        List<X509Certificate> chain = ca.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL, Duration.ofHours(1));

        assertThat(ca.root()).isEqualTo(files.root());
        assertThat(ca.intermediates()).containsExactly(files.intermediate());
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(files.intermediate());
        assertThat(chain.get(0).getIssuerX500Principal()).isEqualTo(files.intermediate().getSubjectX500Principal());
        assertThat(chain.get(0).getNotAfter()).isBeforeOrEqualTo(files.intermediate().getNotAfter());
        assertThat(new SvidVerifier(TrustBundle.of("cluster.local", files.root()), CLOCK).verify(chain)).isEqualTo(CURL);
    }

    @Test
    void opensslAcceptsTheIntermediateChain() throws Exception {
        MeshCa operatorRoot = MeshCa.generateRoot("cluster.local", CLOCK);
        TestCas.PlugIn files = TestCas.intermediate(operatorRoot, dir, CLOCK.instant(), true);
        MeshCa ca = MeshCa.load(files.cert(), files.key(), Optional.of(files.chain()), "cluster.local", CLOCK);
        List<X509Certificate> chain = ca.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL);

        Openssl.Result result = Openssl.verify(dir, ca.root(), chain.subList(1, chain.size()), chain.get(0), "sslclient");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("leaf.pem: OK");
    }

    @Test
    void loadsAPlugInRootWithoutAChain() throws Exception {
        MeshCa generated = MeshCa.generateRoot("cluster.local", CLOCK);
        CaFiles.save(generated, dir);

        MeshCa loaded = MeshCa.load(dir.resolve(CaFiles.ROOT_CERT), dir.resolve(CaFiles.ROOT_KEY), Optional.empty(),
                "cluster.local", CLOCK);

        assertThat(loaded.root()).isEqualTo(generated.root());
        assertThat(loaded.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL)).hasSize(1);
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificate() throws Exception {
        TestCas.PlugIn files = TestCas.intermediate(MeshCa.generateRoot("cluster.local", CLOCK), dir, CLOCK.instant(), true);
        Files.writeString(files.key(), Pem.encodePrivateKey(KeyPairs.ecP256().getPrivate()));

        assertThatThrownBy(() -> MeshCa.load(files.cert(), files.key(), Optional.of(files.chain()), "cluster.local", CLOCK))
                .isInstanceOf(IdentityException.class).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void refusesACertificateThatIsNotACa() throws Exception {
        TestCas.PlugIn files = TestCas.intermediate(MeshCa.generateRoot("cluster.local", CLOCK), dir, CLOCK.instant(), false);

        assertThatThrownBy(() -> MeshCa.load(files.cert(), files.key(), Optional.of(files.chain()), "cluster.local", CLOCK))
                .isInstanceOf(IdentityException.class).hasMessageContaining("is not a CA");
    }

    @Test
    void refusesAnIntermediateWithoutItsChain() throws Exception {
        TestCas.PlugIn files = TestCas.intermediate(MeshCa.generateRoot("cluster.local", CLOCK), dir, CLOCK.instant(), true);

        assertThatThrownBy(() -> MeshCa.load(files.cert(), files.key(), Optional.empty(), "cluster.local", CLOCK))
                .isInstanceOf(IdentityException.class).hasMessageContaining("pass the chain file");
    }

    @Test
    void refusesAChainFromAnotherRoot() throws Exception {
        TestCas.PlugIn files = TestCas.intermediate(MeshCa.generateRoot("cluster.local", CLOCK), dir, CLOCK.instant(), true);
        Path wrongChain = Files.writeString(dir.resolve("wrong-chain.pem"),
                Pem.encodeCertificate(MeshCa.generateRoot("cluster.local", CLOCK).root()));

        assertThatThrownBy(() -> MeshCa.load(files.cert(), files.key(), Optional.of(wrongChain), "cluster.local", CLOCK))
                .isInstanceOf(IdentityException.class).hasMessageContaining("is not signed by the next certificate");
    }
}
