package dev.meshctl.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PkixPeerVerifierTest {

    private static final TestPki PKI = TestPki.create("root-a");
    private static final String ID = TestPki.spiffe("default", "client");

    @Test
    void returnsTheSpiffeIdOfAValidChain() throws Exception {
        TlsIdentity id = PKI.issue(ID);
        assertThat(PkixPeerVerifier.trusting(List.of(PKI.root())).verify(id.chain())).isEqualTo(ID);
    }

    @Test
    void acceptsAChainThatIncludesTheRoot() throws Exception {
        TlsIdentity id = PKI.issue(ID);
        assertThat(PkixPeerVerifier.trusting(List.of(PKI.root())).verify(List.of(id.leaf(), PKI.root())))
                .isEqualTo(ID);
    }

    @Test
    void refusesAChainFromAnotherRoot() {
        TlsIdentity foreign = TestPki.create("root-b").issue(ID);
        assertThatThrownBy(() -> PkixPeerVerifier.trusting(List.of(PKI.root())).verify(foreign.chain()))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("does not chain to a trusted mesh root");
    }

    @Test
    void refusesAnEmptyChain() {
        assertThatThrownBy(() -> PkixPeerVerifier.trusting(List.of(PKI.root())).verify(List.of()))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("no certificate");
    }

    @Test
    void refusesACertificateWithoutSpiffeUri() {
        TlsIdentity notSpiffe = PKI.issue("https://example.com/workload");
        assertThatThrownBy(() -> PkixPeerVerifier.trusting(List.of(PKI.root())).verify(notSpiffe.chain()))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("exactly one spiffe:// URI SAN");
    }

    @Test
    void refusesNoRoots() {
        assertThatThrownBy(() -> PkixPeerVerifier.trusting(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
