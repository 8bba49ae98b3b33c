package dev.meshctl.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CertificateRequestsTest {

    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl");

    @Test
    void createsACsrSignedByTheKeyItCarries() {
        KeyPair keys = KeyPairs.ecP256();

        PKCS10CertificationRequest csr = CertificateRequests.create(keys, ID);

        assertThat(CertificateRequests.verifiedPublicKey(csr)).isEqualTo(keys.getPublic());
    }

    @Test
    void refusesACsrWhoseSignatureIsFromAnotherKey() {
        PKCS10CertificationRequest mine = CertificateRequests.create(KeyPairs.ecP256(), ID);
        PKCS10CertificationRequest other = CertificateRequests.create(KeyPairs.ecP256(), ID);
        CertificationRequest spliced = new CertificationRequest(mine.toASN1Structure().getCertificationRequestInfo(),
                other.getSignatureAlgorithm(), other.toASN1Structure().getSignature());

        assertThatThrownBy(() -> CertificateRequests.verifiedPublicKey(new PKCS10CertificationRequest(spliced)))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("signature does not verify");
    }
}
