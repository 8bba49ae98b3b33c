package dev.meshctl.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpiffeTrustManagerTest {

    private static final TestPki PKI = TestPki.create("root");
    private static final String SERVER = TestPki.spiffe("shop", "reviews");
    private static final PeerVerifier VERIFIER = PkixPeerVerifier.trusting(List.of(PKI.root()));

    @Test
    void acceptsAnExpectedServer() throws Exception {
        X509Certificate[] chain = PKI.issue(SERVER).chain().toArray(X509Certificate[]::new);
        new SpiffeTrustManager(VERIFIER, Set.of(SERVER)).checkServerTrusted(chain, "EC");
    }

    @Test
    void refusesAServerThatIsNotExpected() {
        X509Certificate[] chain = PKI.issue(TestPki.spiffe("shop", "ratings")).chain().toArray(X509Certificate[]::new);
        assertThatThrownBy(() -> new SpiffeTrustManager(VERIFIER, Set.of(SERVER)).checkServerTrusted(chain, "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("is not one of the identities expected");
    }

    @Test
    void acceptsAnyVerifiedClientWhenNothingIsExpected() throws Exception {
        X509Certificate[] chain = PKI.issue(SERVER).chain().toArray(X509Certificate[]::new);
        new SpiffeTrustManager(VERIFIER, Set.of()).checkClientTrusted(chain, "EC");
    }

    @Test
    void refusesAMissingClientCertificate() {
        assertThatThrownBy(() -> new SpiffeTrustManager(VERIFIER, Set.of()).checkClientTrusted(null, "EC"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void advertisesNoIssuers() {
        assertThat(new SpiffeTrustManager(VERIFIER, Set.of()).getAcceptedIssuers()).isEmpty();
    }
}
