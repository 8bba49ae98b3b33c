package dev.meshctl.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.core.identity.CertificateRequests;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.KeyPairs;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.SvidVerifier;
import dev.meshctl.core.identity.TrustBundle;
import dev.meshctl.core.identity.WorkloadCertificate;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class MeshCaTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final MeshCa CA = MeshCa.generateRoot("cluster.local", CLOCK);
    private static final SpiffeId CURL = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl");
    private static final SpiffeId ADMIN = SpiffeId.parse("spiffe://cluster.local/ns/kube-system/sa/admin");

    @Test
    void generatesARootCa() {
        X509Certificate root = CA.root();

        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=meshctl root CA,O=cluster.local");
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(root.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(CA.trustBundle()).containsExactly(root);
        assertThat(CA.trustDomain()).isEqualTo("cluster.local");
        assertThat(CA.intermediates()).isEmpty();
    }

    @Test
    void takesTheSanFromTheAuthorizedIdentityNotTheCsr() throws Exception {
        PKCS10CertificationRequest csr = CertificateRequests.create(KeyPairs.ecP256(), ADMIN);

        List<X509Certificate> chain = CA.sign(csr, CURL, Duration.ofHours(1));

        X509Certificate leaf = chain.get(0);
        assertThat(SvidVerifier.identityOf(leaf)).isEqualTo(CURL);
        Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
        assertThat(sans).hasSize(1);
        assertThat(List.<Object>copyOf(sans.iterator().next())).containsExactly(6, CURL.toString());
    }

    @Test
    void issuesAValidSvidWithTheExpectedProfile() throws Exception {
        KeyPair keys = KeyPairs.ecP256();

        List<X509Certificate> chain = CA.sign(CertificateRequests.create(keys, CURL), CURL);

        assertThat(chain).hasSize(1);
        X509Certificate leaf = chain.get(0);
        assertThat(new SvidVerifier(new TrustBundle("cluster.local", CA.trustBundle()), CLOCK).verify(chain)).isEqualTo(CURL);
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
        assertThat(leaf.getExtensionValue("2.5.29.35")).as("AKI").isNotNull();
        assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17");
        assertThat(leaf.getSerialNumber().signum()).isPositive();
        assertThat(leaf.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
        assertThat(leaf.getSerialNumber()).isNotEqualTo(CA.sign(CertificateRequests.create(keys, CURL), CURL).get(0).getSerialNumber());
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(1)));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(MeshCa.DEFAULT_TTL));
    }

    @Test
    void honoursTheRequestedTtl() {
        List<X509Certificate> chain = CA.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL, Duration.ofMinutes(90));

        assertThat(chain.get(0).getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(90)));
    }

    @Test
    void capsTheTtlAtTheConfiguredMaximum() {
        MeshCa capped = CA.withMaxTtl(Duration.ofHours(2));

        List<X509Certificate> chain = capped.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL, Duration.ofDays(30));

        assertThat(chain.get(0).getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(capped.maxTtl()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void neverOutlivesTheCa() {
        MeshCa uncapped = CA.withMaxTtl(Duration.ofDays(100 * 365));

        List<X509Certificate> chain = uncapped.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL,
                Duration.ofDays(20 * 365));

        assertThat(chain.get(0).getNotAfter()).isEqualTo(CA.root().getNotAfter());
    }

    @Test
    void refusesACsrWithABadSignature() {
        PKCS10CertificationRequest mine = CertificateRequests.create(KeyPairs.ecP256(), CURL);
        PKCS10CertificationRequest other = CertificateRequests.create(KeyPairs.ecP256(), CURL);
        PKCS10CertificationRequest forged = new PKCS10CertificationRequest(new CertificationRequest(
                mine.toASN1Structure().getCertificationRequestInfo(), other.getSignatureAlgorithm(),
                other.toASN1Structure().getSignature()));

        assertThatThrownBy(() -> CA.sign(forged, CURL))
                .isInstanceOf(IdentityException.class).hasMessageContaining("signature does not verify");
    }

    @Test
    void refusesGarbageCsrBytes() {
        assertThatThrownBy(() -> new PKCS10CertificationRequest(new byte[] {1, 2, 3, 4}))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void refusesKeysOtherThanP256() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);

        assertThatThrownBy(() -> CA.sign(CertificateRequests.create(ec.generateKeyPair(), CURL), CURL))
                .isInstanceOf(IdentityException.class).hasMessageContaining("only P-256");
        assertThatThrownBy(() -> CA.sign(CertificateRequests.create(rsa.generateKeyPair(), CURL), CURL))
                .isInstanceOf(IdentityException.class).hasMessageContaining("has 1024 bits; at least 2048");
    }

    @Test
    void acceptsRsa2048() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);

        List<X509Certificate> chain = CA.sign(CertificateRequests.create(rsa.generateKeyPair(), CURL), CURL);

        assertThat(chain.get(0).getKeyUsage()[2]).as("keyEncipherment for RSA").isTrue();
    }

    @Test
    void refusesOtherTrustDomainsAndNonPositiveTtls() {
        PKCS10CertificationRequest csr = CertificateRequests.create(KeyPairs.ecP256(), CURL);

        assertThatThrownBy(() -> CA.sign(csr, SpiffeId.parse("spiffe://other.example/ns/default/sa/curl")))
                .isInstanceOf(IdentityException.class).hasMessageContaining("not in this CA's trust domain");
        assertThatThrownBy(() -> CA.sign(csr, CURL, Duration.ZERO))
                .isInstanceOf(IdentityException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> MeshCa.generateRoot("Not Valid", CLOCK)).isInstanceOf(IdentityException.class);
    }

    @Test
    void issuesAServerCertificateWithDnsAndIpSans() throws Exception {
        SpiffeId controlPlane = SpiffeId.parse("spiffe://cluster.local/ns/meshctl-system/sa/control-plane");

        WorkloadCertificate cert = CA.issueServerCertificate(controlPlane, List.of("control-plane.meshctl-system.svc"),
                List.of("10.0.0.1", "::1"), Duration.ofHours(24));

        assertThat(cert.id()).isEqualTo(controlPlane);
        assertThat(KeyPairs.matches(cert.leaf().getPublicKey(), cert.key())).isTrue();
        assertThat(cert.leaf().getSubjectAlternativeNames()).extracting(l -> (Object) l.get(0)).containsExactlyInAnyOrder(6, 2, 7, 7);
        assertThat(new SvidVerifier(new TrustBundle("cluster.local", CA.trustBundle()), CLOCK).verify(cert.chain()))
                .isEqualTo(controlPlane);
        assertThatThrownBy(() -> CA.issueServerCertificate(controlPlane, List.of(), List.of("not-an-ip"), Duration.ofHours(1)))
                .isInstanceOf(IdentityException.class).hasMessageContaining("not a literal IPv4 or IPv6");
    }

    @Test
    void serialsAreRandom() {
        PKCS10CertificationRequest csr = CertificateRequests.create(KeyPairs.ecP256(), CURL);
        BigInteger first = CA.sign(csr, CURL).get(0).getSerialNumber();
        BigInteger second = CA.sign(csr, CURL).get(0).getSerialNumber();

        assertThat(first).isNotEqualTo(second);
    }
}
