package dev.meshctl.waypoint;

import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.RenewalSchedule;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.WorkloadCertificate;
import dev.meshctl.core.tls.CertificateSource;
import dev.meshctl.core.tls.TlsIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the waypoint's one certificate: fetches it from the CA, renews it at half-life, and retries failures with
 * backoff while the old certificate stays in use until it expires.
 *
 * <pre>{@code
 * WaypointIdentity id = WaypointIdentity.start(SpiffeId.parse(settings.identity()), caClient::fetchWithBundle, clock);
 * Waypoint.start(new WaypointOptions(..., id, ...));
 * }</pre>
 */
public final class WaypointIdentity implements CertificateSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WaypointIdentity.class);

    private final SpiffeId id;
    private final Function<SpiffeId, CaClient.Fetched> fetcher;
    private final Clock clock;
    private final RenewalSchedule schedule;
    private final ScheduledExecutorService scheduler;
    private volatile TlsIdentity current;
    private volatile WorkloadCertificate certificate;
    private volatile String lastError = "";
    private int failures;

    private WaypointIdentity(SpiffeId id, Function<SpiffeId, CaClient.Fetched> fetcher, Clock clock,
                             RenewalSchedule schedule) {
        this.id = id;
        this.fetcher = fetcher;
        this.clock = clock;
        this.schedule = schedule;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "waypoint-identity");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts fetching {@code id} now and renewing it from then on, with the default schedule. */
    public static WaypointIdentity start(SpiffeId id, Function<SpiffeId, CaClient.Fetched> fetcher, Clock clock) {
        return start(id, fetcher, clock, RenewalSchedule.defaults(new Random()));
    }

    /** Starts fetching {@code id} now and renewing it on {@code schedule}. */
    public static WaypointIdentity start(SpiffeId id, Function<SpiffeId, CaClient.Fetched> fetcher, Clock clock,
                                         RenewalSchedule schedule) {
        WaypointIdentity w = new WaypointIdentity(Objects.requireNonNull(id, "id"),
                Objects.requireNonNull(fetcher, "fetcher"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(schedule, "schedule"));
        w.scheduler.execute(w::refresh);
        return w;
    }

    @Override
    public Optional<TlsIdentity> identity(String spiffeId) {
        TlsIdentity t = current;
        if (t == null || !t.spiffeId().equals(spiffeId)) {
            return Optional.empty();
        }
        WorkloadCertificate c = certificate;
        return c != null && c.isValidAt(clock.instant()) ? Optional.of(t) : Optional.empty();
    }

    /** Returns the certificate in use, if any. */
    public Optional<WorkloadCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** Returns why the last attempt failed, or empty after a success. */
    public String lastError() {
        return lastError;
    }

    /** Waits up to {@code timeout} for a certificate; returns whether one is present. */
    public boolean awaitCertificate(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (certificate == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    private void refresh() {
        Instant next;
        try {
            CaClient.Fetched fetched = fetcher.apply(id);
            WorkloadCertificate c = fetched.certificate();
            synchronized (this) {
                current = new TlsIdentity(id.toString(), c.chain(), c.key(), fetched.bundle().roots());
                certificate = c;
                notifyAll();
            }
            failures = 0;
            lastError = "";
            next = schedule.afterSuccess(c);
            log.info("waypoint certificate for {} valid until {}; renewing at {}", id, c.notAfter(), next);
        } catch (RuntimeException e) {
            failures++;
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            WorkloadCertificate c = certificate;
            next = schedule.afterFailure(clock.instant(), failures,
                    c == null ? Optional.empty() : Optional.of(c.notAfter()));
            log.warn("cannot obtain the waypoint certificate for {} (attempt {}): {}; retrying at {}", id, failures,
                    lastError, next);
        }
        long delay = Math.max(0, Duration.between(clock.instant(), next).toMillis());
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::refresh, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops renewing. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
