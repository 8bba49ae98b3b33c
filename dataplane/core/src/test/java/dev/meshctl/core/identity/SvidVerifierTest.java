package dev.meshctl.core.identity;

import static dev.meshctl.core.identity.TestCertificates.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.core.identity.TestCertificates.Issued;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

class SvidVerifierTest {

    private static final Issued ROOT = TestCertificates.root("mesh root");
    private static final TrustBundle BUNDLE = TrustBundle.of("cluster.local", ROOT.certificate());
    private static final SvidVerifier VERIFIER = new SvidVerifier(BUNDLE, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsALeafSignedByTheRoot() {
        Issued leaf = TestCertificates.leaf(ROOT).build();

        assertThat(VERIFIER.verify(List.of(leaf.certificate())))
                .isEqualTo(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl"));
    }

    @Test
    void acceptsAnIntermediateFromThePresentedChainAndATrailingRoot() {
        Issued intermediate = TestCertificates.intermediate(ROOT, "mesh intermediate");
        Issued leaf = TestCertificates.leaf(intermediate).build();

        assertThat(VERIFIER.verify(List.of(leaf.certificate(), intermediate.certificate())).serviceAccount())
                .isEqualTo("curl");
        assertThat(VERIFIER.verify(List.of(leaf.certificate(), intermediate.certificate(), ROOT.certificate())).namespace())
                .isEqualTo("default");
    }

    @Test
    void refusesAnIntermediateChainWithoutTheIntermediate() {
        Issued intermediate = TestCertificates.intermediate(ROOT, "mesh intermediate");
        Issued leaf = TestCertificates.leaf(intermediate).build();

        assertRefused(List.of(leaf.certificate()), "does not chain to a trusted root");
    }

    @Test
    void refusesAnotherTrustDomain() {
        Issued leaf = TestCertificates.leaf(ROOT).uris("spiffe://evil.example/ns/default/sa/curl").build();

        assertRefused(List.of(leaf.certificate()), "from trust domain 'evil.example' but only 'cluster.local' is trusted");
    }

    @Test
    void refusesAnExpiredLeaf() {
        Issued leaf = TestCertificates.leaf(ROOT).validity(NOW.minus(Duration.ofDays(2)), NOW.minusSeconds(1)).build();

        assertRefused(List.of(leaf.certificate()), "expired at");
    }

    @Test
    void refusesALeafNotYetValid() {
        Issued leaf = TestCertificates.leaf(ROOT).validity(NOW.plusSeconds(60), NOW.plus(Duration.ofDays(1))).build();

        assertRefused(List.of(leaf.certificate()), "is not valid before");
    }

    @Test
    void refusesACaFlaggedLeaf() {
        Issued leaf = TestCertificates.leaf(ROOT).ca().build();

        assertRefused(List.of(leaf.certificate()), "CA=true");
    }

    @Test
    void refusesALeafThatCanSignCertificates() {
        Issued leaf = TestCertificates.leaf(ROOT).keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).build();

        assertRefused(List.of(leaf.certificate()), "keyCertSign or cRLSign");
    }

    @Test
    void refusesALeafThatCanSignCrls() {
        Issued leaf = TestCertificates.leaf(ROOT).keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign).build();

        assertRefused(List.of(leaf.certificate()), "keyCertSign or cRLSign");
    }

    @Test
    void refusesALeafWithoutDigitalSignature() {
        Issued leaf = TestCertificates.leaf(ROOT).keyUsage(KeyUsage.keyEncipherment).build();

        assertRefused(List.of(leaf.certificate()), "lacks keyUsage digitalSignature");
    }

    @Test
    void refusesALeafWithoutKeyUsage() {
        Issued leaf = TestCertificates.leaf(ROOT).keyUsage(-1).build();

        assertRefused(List.of(leaf.certificate()), "no keyUsage");
    }

    @Test
    void refusesTwoUriSans() {
        Issued leaf = TestCertificates.leaf(ROOT)
                .uris("spiffe://cluster.local/ns/default/sa/curl", "spiffe://cluster.local/ns/default/sa/admin").build();

        assertRefused(List.of(leaf.certificate()), "has 2 URI SANs");
    }

    @Test
    void refusesNoUriSan() {
        Issued leaf = TestCertificates.leaf(ROOT).uris().build();

        assertRefused(List.of(leaf.certificate()), "has no URI SAN");
    }

    @Test
    void refusesServerAuthOnlyEku() {
        Issued leaf = TestCertificates.leaf(ROOT).eku(KeyPurposeId.id_kp_serverAuth).build();

        assertRefused(List.of(leaf.certificate()), "without both serverAuth and clientAuth");
    }

    @Test
    void acceptsALeafWithoutEku() {
        Issued leaf = TestCertificates.leaf(ROOT).eku((KeyPurposeId[]) null).build();

        assertThat(VERIFIER.verify(List.of(leaf.certificate())).serviceAccount()).isEqualTo("curl");
    }

    @Test
    void refusesAChainToAnUnknownRoot() {
        Issued otherRoot = TestCertificates.root("mesh root");
        Issued leaf = TestCertificates.leaf(otherRoot).build();

        assertRefused(List.of(leaf.certificate()), "does not chain to a trusted root of trust domain 'cluster.local'");
    }

    @Test
    void refusesAPercentEncodedSan() {
        Issued leaf = TestCertificates.leaf(ROOT).uris("spiffe://cluster.local/ns/default%2Fsa/curl/sa/x").build();

        assertRefused(List.of(leaf.certificate()), "percent-encoding");
    }

    @Test
    void refusesADotDotSan() {
        Issued leaf = TestCertificates.leaf(ROOT).uris("spiffe://cluster.local/ns/../sa/curl").build();

        assertRefused(List.of(leaf.certificate()), "dot segment");
    }

    @Test
    void refusesANulInTheSan() {
        Issued leaf = TestCertificates.leaf(ROOT).uris("spiffe://cluster.local/ns/default/sa/curl\0.evil").build();

        assertRefused(List.of(leaf.certificate()), "NUL byte");
    }

    @Test
    void refusesAnEmptyChain() {
        assertRefused(List.of(), "no certificate was presented");
    }

    @Test
    void identityOfReadsTheSanWithoutValidating() {
        Issued leaf = TestCertificates.leaf(TestCertificates.root("other")).build();

        assertThat(SvidVerifier.identityOf(leaf.certificate()).principal()).isEqualTo("cluster.local/ns/default/sa/curl");
    }

    private static void assertRefused(List<X509Certificate> chain, String message) {
        assertThatThrownBy(() -> VERIFIER.verify(chain))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining(message);
    }
}
