package dev.meshctl.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /** A random source whose nextDouble is always {@code value}, to make jitter predictable. */
    private static Random fixed(double value) {
        return new Random() {
            private static final long serialVersionUID = 1L;

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @ParameterizedTest(name = "failure {0} with jitter {1} -> {2} ms")
    @CsvSource({
        // failures, jitter draw, expected delay in ms (1 s doubling to 60 s, minus up to 20%)
        "1, 0.0, 1000",
        "2, 0.0, 2000",
        "3, 0.0, 4000",
        "6, 0.0, 32000",
        "7, 0.0, 60000",
        "8, 0.0, 60000",
        "1000, 0.0, 60000",
        "1, 1.0, 800",
        "3, 0.5, 3600",
        "7, 0.5, 54000",
        "1000, 0.999999, 48001",
    })
    void backsOffExponentiallyWithCapAndJitter(int failures, double jitter, long expectedMillis) {
        RenewalSchedule schedule = RenewalSchedule.defaults(fixed(jitter));

        assertThat(schedule.afterFailure(NOW, failures, Optional.empty()))
                .isEqualTo(NOW.plusMillis(expectedMillis));
    }

    @ParameterizedTest(name = "expiry in {0} s, failure {1} -> retry in {2} ms")
    @CsvSource({
        // notAfter - now (s), failures, expected delay (ms); margin is 60 s
        "3600, 7, 60000",   // plenty of time: the normal backoff
        "100, 7, 40000",    // backoff would pass notAfter - margin: retry at the margin
        "61, 3, 1000",      // 1 s before the margin
        "60, 7, 1000",      // at the margin: keep trying every initial backoff
        "10, 7, 1000",      // inside the margin
        "-5, 7, 1000",      // already expired: still bounded
        "30, 1, 1000",
    })
    void neverRetriesPastExpiryMinusMargin(long expiresInSeconds, int failures, long expectedMillis) {
        RenewalSchedule schedule = RenewalSchedule.defaults(fixed(0.0));

        Instant next = schedule.afterFailure(NOW, failures, Optional.of(NOW.plusSeconds(expiresInSeconds)));

        assertThat(next).isEqualTo(NOW.plusMillis(expectedMillis));
    }

    @Test
    void renewsAtHalfLifeAfterSuccess() {
        TestCertificates.Issued leaf = TestCertificates.leaf(TestCertificates.root("r")).build();
        WorkloadCertificate cert = new WorkloadCertificate(SpiffeId.parse("spiffe://td/ns/a/sa/b"),
                java.util.List.of(leaf.certificate()), leaf.key(), NOW, NOW.plus(Duration.ofHours(24)));

        assertThat(RenewalSchedule.defaults(new Random(1)).afterSuccess(cert)).isEqualTo(NOW.plus(Duration.ofHours(12)));
    }

    @Test
    void jitterStaysWithinItsBandForARealRandom() {
        RenewalSchedule schedule = RenewalSchedule.defaults(new Random(42));

        for (int i = 0; i < 200; i++) {
            Duration delay = schedule.backoff(10);
            assertThat(delay).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(60));
        }
    }

    @Test
    void refusesNonsense() {
        RenewalSchedule schedule = RenewalSchedule.defaults(new Random(1));

        assertThatThrownBy(() -> schedule.afterFailure(NOW, 0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RenewalSchedule(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ZERO, new Random()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below initialBackoff");
        assertThatThrownBy(() -> new RenewalSchedule(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, new Random()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
