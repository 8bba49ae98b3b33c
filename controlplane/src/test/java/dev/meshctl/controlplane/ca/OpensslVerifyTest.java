package dev.meshctl.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.core.identity.CertificateRequests;
import dev.meshctl.core.identity.KeyPairs;
import dev.meshctl.core.identity.SpiffeId;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks issued chains with openssl, a verifier that shares no code with the CA. */
class OpensslVerifyTest {

    private static final SpiffeId CURL = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl");

    @TempDir
    Path dir;

    @Test
    void opensslAcceptsALeafOfTheGeneratedRootForBothMtlsSides() throws Exception {
        MeshCa ca = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
        X509Certificate leaf = ca.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL).get(0);

        for (String purpose : new String[] {null, "sslclient", "sslserver"}) {
            Openssl.Result result = Openssl.verify(dir, ca.root(), List.of(), leaf, purpose);

            assertThat(result.exitCode()).as("purpose %s: %s", purpose, result.output()).isZero();
            assertThat(result.output()).contains("leaf.pem: OK");
        }
    }

    @Test
    void opensslRefusesALeafOfAnotherRoot() throws Exception {
        MeshCa ca = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
        MeshCa other = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
        X509Certificate leaf = other.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL).get(0);

        Openssl.Result result = Openssl.verify(dir, ca.root(), List.of(), leaf, null);

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }
}
