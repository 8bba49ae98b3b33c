package dev.meshctl.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;

class KeyPairsTest {

    @Test
    void generatesP256Keys() {
        KeyPair keys = KeyPairs.ecP256();

        assertThat(keys.getPublic()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) keys.getPublic()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(KeyPairs.signatureAlgorithm(keys.getPrivate())).isEqualTo("SHA256withECDSA");
    }

    @Test
    void matchesOnlyTheKeysOfOnePair() {
        KeyPair a = KeyPairs.ecP256();
        KeyPair b = KeyPairs.ecP256();

        assertThat(KeyPairs.matches(a.getPublic(), a.getPrivate())).isTrue();
        assertThat(KeyPairs.matches(a.getPublic(), b.getPrivate())).isFalse();
    }
}
