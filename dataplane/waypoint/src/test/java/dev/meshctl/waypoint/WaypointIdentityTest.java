package dev.meshctl.waypoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.RenewalSchedule;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.TrustBundle;
import dev.meshctl.core.identity.WorkloadCertificate;
import dev.meshctl.core.tls.TestPki;
import dev.meshctl.core.tls.TlsIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WaypointIdentityTest {

    private static final String ID = TestPki.spiffe("default", "waypoint");
    private final TestPki pki = TestPki.create("mesh-root");
    private final RenewalSchedule fast = new RenewalSchedule(Duration.ofMillis(10), Duration.ofMillis(20),
            Duration.ZERO, new Random(1));

    private CaClient.Fetched fetched() {
        TlsIdentity t = pki.issue(ID);
        return new CaClient.Fetched(WorkloadCertificate.of(SpiffeId.parse(ID), t.chain(), t.key()),
                TrustBundle.of("cluster.local", pki.root()));
    }

    @Test
    void servesTheFetchedCertificateOnlyForItsOwnIdentity() throws Exception {
        try (WaypointIdentity id = WaypointIdentity.start(SpiffeId.parse(ID), s -> fetched(), Clock.systemUTC(),
                fast)) {
            assertThat(id.awaitCertificate(Duration.ofSeconds(5))).isTrue();
            assertThat(id.identity(ID)).hasValueSatisfying(t -> assertThat(t.trustRoots()).containsExactly(pki.root()));
            assertThat(id.identity(TestPki.spiffe("default", "other"))).isEmpty();
            assertThat(id.lastError()).isEmpty();
        }
    }

    @Test
    void retriesAfterTheCaRefusesUntilItIssues() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Function<SpiffeId, CaClient.Fetched> flaky = s -> {
            if (calls.incrementAndGet() < 3) {
                throw new IdentityException("PERMISSION_DENIED: not yet");
            }
            return fetched();
        };
        try (WaypointIdentity id = WaypointIdentity.start(SpiffeId.parse(ID), flaky, Clock.systemUTC(), fast)) {
            assertThat(id.awaitCertificate(Duration.ofSeconds(5))).isTrue();
            assertThat(calls.get()).isGreaterThanOrEqualTo(3);
            assertThat(id.identity(ID)).isPresent();
        }
    }

    @Test
    void hasNoCertificateWhileTheCaRefuses() throws Exception {
        try (WaypointIdentity id = WaypointIdentity.start(SpiffeId.parse(ID), s -> {
            throw new IdentityException("PERMISSION_DENIED: waypoint default/waypoint may only obtain ...");
        }, Clock.systemUTC(), fast)) {
            assertThat(id.awaitCertificate(Duration.ofMillis(200))).isFalse();
            assertThat(id.identity(ID)).isEmpty();
            assertThat(id.lastError()).contains("PERMISSION_DENIED");
        }
    }
}
