package dev.meshctl.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.core.identity.TestCertificates.Issued;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadCertificateTest {

    private static final SpiffeId ID = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl");
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void renewsAtHalfLife() {
        Issued leaf = TestCertificates.leaf(TestCertificates.root("r")).build();
        WorkloadCertificate cert = new WorkloadCertificate(ID, List.of(leaf.certificate()), leaf.key(),
                START, START.plus(Duration.ofHours(24)));

        assertThat(cert.renewAt()).isEqualTo(START.plus(Duration.ofHours(12)));
        assertThat(cert.isValidAt(START.plus(Duration.ofHours(23)))).isTrue();
        assertThat(cert.isValidAt(START.plus(Duration.ofHours(25)))).isFalse();
    }

    @Test
    void takesValidityFromTheLeaf() {
        Issued leaf = TestCertificates.leaf(TestCertificates.root("r")).build();

        WorkloadCertificate cert = WorkloadCertificate.of(ID, List.of(leaf.certificate()), leaf.key());

        assertThat(cert.notAfter()).isEqualTo(leaf.certificate().getNotAfter().toInstant());
        assertThat(cert.leaf()).isEqualTo(leaf.certificate());
    }

    @Test
    void describesItselfWithoutTheKey() {
        Issued leaf = TestCertificates.leaf(TestCertificates.root("r")).build();
        WorkloadCertificate cert = WorkloadCertificate.of(ID, List.of(leaf.certificate()), leaf.key());

        assertThat(cert.toString()).contains(ID.toString()).doesNotContain("key").doesNotContain(leaf.key().toString());
    }

    @Test
    void refusesAnEmptyChainOrInvertedValidity() {
        Issued leaf = TestCertificates.leaf(TestCertificates.root("r")).build();

        assertThatThrownBy(() -> new WorkloadCertificate(ID, List.of(), leaf.key(), START, START.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkloadCertificate(ID, List.of(leaf.certificate()), leaf.key(), START, START))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
