package dev.meshctl.core.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Decides when to ask the CA next: at half-life after a success, and after failures with capped
 * exponential backoff (initial, doubling, up to a maximum, minus up to 20% jitter so agents that
 * failed together do not retry together), never later than the current certificate's expiry
 * minus a safety margin. Pure: the caller supplies the time and the random source.
 */
public final class RenewalSchedule {

    /** The fraction of a backoff delay that jitter may take off. */
    static final double JITTER = 0.2;

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration expiryMargin;
    private final Random random;

    /**
     * Creates a schedule.
     *
     * @param initialBackoff the delay after the first failure
     * @param maxBackoff the cap on the delay
     * @param expiryMargin how long before the current certificate's expiry the last retry must happen
     * @param random the jitter source (seeded in tests)
     */
    public RenewalSchedule(Duration initialBackoff, Duration maxBackoff, Duration expiryMargin, Random random) {
        this.initialBackoff = positive(initialBackoff, "initialBackoff");
        this.maxBackoff = positive(maxBackoff, "maxBackoff");
        this.expiryMargin = Objects.requireNonNull(expiryMargin, "expiryMargin");
        this.random = Objects.requireNonNull(random, "random");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
        }
        if (expiryMargin.isNegative()) {
            throw new IllegalArgumentException("expiryMargin must not be negative: " + expiryMargin);
        }
    }

    /** Returns the default schedule: 1 s doubling to 60 s, the last retry at least 1 min before expiry. */
    public static RenewalSchedule defaults(Random random) {
        return new RenewalSchedule(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(1), random);
    }

    /** Returns when to renew {@code certificate} after it was just obtained: at half its lifetime. */
    public Instant afterSuccess(WorkloadCertificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        return certificate.renewAt();
    }

    /**
     * Returns when to try again after the {@code consecutiveFailures}-th failure in a row.
     *
     * @param now the current time
     * @param consecutiveFailures how many attempts in a row failed, at least 1
     * @param currentNotAfter the expiry of the certificate still in use, if any
     */
    public Instant afterFailure(Instant now, int consecutiveFailures, Optional<Instant> currentNotAfter) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(currentNotAfter, "currentNotAfter");
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("consecutiveFailures must be at least 1, got " + consecutiveFailures);
        }
        Duration delay = backoff(consecutiveFailures);
        Instant next = now.plus(delay);
        if (currentNotAfter.isEmpty()) {
            return next;
        }
        Instant deadline = currentNotAfter.get().minus(expiryMargin);
        if (!deadline.isAfter(now)) {
            // Already inside the margin: keep trying, but no faster than the first backoff step.
            return now.plus(delay.compareTo(initialBackoff) < 0 ? delay : initialBackoff);
        }
        return next.isAfter(deadline) ? deadline : next;
    }

    /** Returns the jittered, capped delay for the n-th consecutive failure. */
    Duration backoff(int consecutiveFailures) {
        int doublings = Math.min(consecutiveFailures - 1, 40);
        long initialMillis = initialBackoff.toMillis();
        long cappedMillis = maxBackoff.toMillis();
        long baseMillis = initialMillis > (cappedMillis >> doublings)
                ? cappedMillis
                : Math.min(cappedMillis, initialMillis << doublings);
        long jitterMillis = (long) (baseMillis * JITTER * random.nextDouble());
        return Duration.ofMillis(baseMillis - jitterMillis);
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value;
    }
}
