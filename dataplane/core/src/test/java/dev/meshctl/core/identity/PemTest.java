package dev.meshctl.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.core.identity.TestCertificates.Issued;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PemTest {

    @Test
    void roundTripsACertificateChainInOrder() {
        Issued root = TestCertificates.root("root");
        Issued leaf = TestCertificates.leaf(root).build();

        String pem = Pem.encodeCertificates(List.of(leaf.certificate(), root.certificate()));

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Pem.decodeCertificates(pem)).containsExactly(leaf.certificate(), root.certificate());
        assertThat(Pem.decodeCertificate(pem)).isEqualTo(leaf.certificate());
    }

    @Test
    void roundTripsAPkcs8PrivateKey() {
        KeyPair keys = KeyPairs.ecP256();

        String pem = Pem.encodePrivateKey(keys.getPrivate());

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(KeyPairs.matches(keys.getPublic(), Pem.decodePrivateKey(pem))).isTrue();
    }

    @Test
    void readsTheTraditionalEcKeyFormatThatOpensslWrites() throws Exception {
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("openssl is not installed, so its key format cannot be produced: " + e.getMessage());
            return;
        }
        String pem = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pem).contains("BEGIN EC PRIVATE KEY");

        PrivateKey key = Pem.decodePrivateKey(pem);

        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(KeyPairs.signatureAlgorithm(key)).isEqualTo("SHA256withECDSA");
    }

    @Test
    void roundTripsACsr() {
        PKCS10CertificationRequest csr = CertificateRequests.create(KeyPairs.ecP256(), SpiffeId.parse("spiffe://td/ns/a/sa/b"));

        assertThat(Pem.decodeCsr(Pem.encodeCsr(csr))).isEqualTo(csr);
    }

    @Test
    void refusesTextWithoutCertificates() {
        assertThatThrownBy(() -> Pem.decodeCertificates("hello")).isInstanceOf(IdentityException.class)
                .hasMessageContaining("no CERTIFICATE block");
    }

    @Test
    void refusesAKeyWhereCertificatesAreExpected() {
        String key = Pem.encodePrivateKey(KeyPairs.ecP256().getPrivate());

        assertThatThrownBy(() -> Pem.decodeCertificates(key)).isInstanceOf(IdentityException.class)
                .hasMessageContaining("expected only CERTIFICATE blocks");
    }

    @Test
    void refusesGarbageInsideAPemBlock() {
        String garbage = "-----BEGIN CERTIFICATE REQUEST-----\nAAAAbm90IGEgY3NyIGF0IGFsbA==\n-----END CERTIFICATE REQUEST-----\n";

        assertThatThrownBy(() -> Pem.decodeCsr(garbage)).isInstanceOf(IdentityException.class)
                .hasMessageContaining("CSR");
        assertThatThrownBy(() -> Pem.decodeCsr("not pem")).isInstanceOf(IdentityException.class)
                .hasMessageContaining("no CERTIFICATE REQUEST block");
        assertThatThrownBy(() -> Pem.decodePrivateKey("not pem")).isInstanceOf(IdentityException.class)
                .hasMessageContaining("no unencrypted private key");
    }
}
