package dev.meshctl.nodeagent.identity;

import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.RenewalSchedule;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.SvidVerifier;
import dev.meshctl.core.identity.TrustBundle;
import dev.meshctl.core.identity.WorkloadCertificate;
import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.TlsIdentity;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds certificates for the identities of this node's enrolled workloads: requests one as soon as a workload with a
 * new identity appears, renews it at half-life, retries failures with capped backoff while keeping the certificate
 * still valid, and forgets identities no longer needed. The trust bundle is learned from the issuer's answers.
 *
 * <pre>{@code
 * IdentityManager identities = new IdentityManager("node-1", "cluster.local", caClient::fetchWithBundle,
 *     Scheduler.of(executor, clock), RenewalSchedule.defaults(new Random()), clock);
 * identities.update(workloads);
 * Optional<TlsIdentity> tls = identities.identity("spiffe://cluster.local/ns/default/sa/curl");
 * }</pre>
 */
public final class IdentityManager implements WorkloadIdentities {

  private static final Logger log = LoggerFactory.getLogger(IdentityManager.class);
  /** A bundle that keeps growing would trust retired roots forever; a few cover a root rotation. */
  private static final int MAX_ROOTS = 4;

  private final String nodeName;
  private final String trustDomain;
  private final CertificateIssuer issuer;
  private final Scheduler scheduler;
  private final RenewalSchedule schedule;
  private final Clock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private final Object lock = new Object();
  private final Map<String, Slot> slots = new TreeMap<>();
  private volatile TrustBundle bundle;
  private boolean closed;

  /** Creates a manager for {@code nodeName}'s workloads; nothing is requested before {@link #update}. */
  public IdentityManager(String nodeName, String trustDomain, CertificateIssuer issuer, Scheduler scheduler,
      RenewalSchedule schedule, Clock clock) {
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.clock = Objects.requireNonNull(clock, "clock");
    SpiffeId.checkTrustDomain(trustDomain);
  }

  /** Adds a callback run after each certificate is issued or forgotten (e.g. to re-check readiness). */
  public void addListener(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Makes the held identities those of the local enrolled workloads among {@code workloads}. */
  public void update(Collection<Workload> workloads) {
    Objects.requireNonNull(workloads, "workloads");
    Set<SpiffeId> wanted = EnrolledIdentities.of(workloads, nodeName, trustDomain);
    List<Slot> added = new ArrayList<>();
    boolean removed = false;
    synchronized (lock) {
      if (closed) {
        return;
      }
      Set<String> keep = new LinkedHashSet<>();
      wanted.forEach(id -> keep.add(id.toString()));
      for (var it = slots.entrySet().iterator(); it.hasNext(); ) {
        Slot slot = it.next().getValue();
        if (!keep.contains(slot.id.toString())) {
          slot.forget();
          it.remove();
          removed = true;
          log.info("forgot the certificate for {}: no local workload uses it any more", slot.id);
        }
      }
      for (SpiffeId id : wanted) {
        if (!slots.containsKey(id.toString())) {
          Slot slot = new Slot(id);
          slots.put(id.toString(), slot);
          added.add(slot);
        }
      }
    }
    for (Slot slot : added) {
      log.info("requesting a certificate for {}", slot.id);
      slot.scheduleAt(clock.instant());
    }
    if (removed) {
      notifyListeners();
    }
  }

  @Override
  public Optional<TlsIdentity> identity(String spiffeId) {
    Objects.requireNonNull(spiffeId, "spiffeId");
    Slot slot;
    synchronized (lock) {
      slot = slots.get(spiffeId);
    }
    TrustBundle current = bundle;
    if (slot == null || current == null) {
      return Optional.empty();
    }
    WorkloadCertificate cert = slot.certificate;
    if (cert == null || !cert.isValidAt(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(new TlsIdentity(spiffeId, cert.chain(), cert.key(), current.roots()));
  }

  @Override
  public PeerVerifier peerVerifier() {
    return this::verifyPeer;
  }

  /** Returns the trust bundle learned so far, if any certificate was issued. */
  public Optional<TrustBundle> trustBundle() {
    return Optional.ofNullable(bundle);
  }

  /** Returns the identities still waiting for a first usable certificate (or whose certificate expired). */
  public List<String> pending() {
    Instant now = clock.instant();
    List<String> out = new ArrayList<>();
    synchronized (lock) {
      for (Slot slot : slots.values()) {
        WorkloadCertificate cert = slot.certificate;
        if (cert == null || !cert.isValidAt(now)) {
          out.add(slot.id.toString());
        }
      }
    }
    return out;
  }

  /** Returns the state of every held identity, sorted by identity, without key material. */
  public List<CertificateStatus> certificates() {
    Instant now = clock.instant();
    List<CertificateStatus> out = new ArrayList<>();
    synchronized (lock) {
      for (Slot slot : slots.values()) {
        out.add(slot.status(now));
      }
    }
    return out;
  }

  /** Stops renewing and drops every certificate. */
  public void close() {
    synchronized (lock) {
      closed = true;
      slots.values().forEach(Slot::forget);
      slots.clear();
    }
  }

  private String verifyPeer(List<X509Certificate> chain) throws CertificateException {
    TrustBundle current = bundle;
    if (current == null) {
      throw new CertificateException("no trust bundle yet: no certificate has been issued to this node agent;"
          + " check that the CA is reachable");
    }
    try {
      return new SvidVerifier(current, clock).verify(chain).toString();
    } catch (IdentityException e) {
      throw new CertificateException(e.getMessage(), e);
    }
  }

  private void learn(TrustBundle learned) {
    TrustBundle current = bundle;
    if (current == null || !current.trustDomain().equals(learned.trustDomain())) {
      bundle = learned;
      return;
    }
    LinkedHashSet<X509Certificate> roots = new LinkedHashSet<>(learned.roots());
    roots.addAll(current.roots());
    List<X509Certificate> capped = new ArrayList<>(roots).subList(0, Math.min(roots.size(), MAX_ROOTS));
    if (!capped.equals(current.roots())) {
      bundle = new TrustBundle(learned.trustDomain(), capped);
    }
  }

  private void notifyListeners() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.error("identity listener failed", e);
      }
    }
  }

  /** One identity's certificate and its pending CA request. Fields are guarded by the manager's lock. */
  private final class Slot {
    final SpiffeId id;
    volatile WorkloadCertificate certificate;
    int failures;
    String lastError = "";
    Instant next;
    Scheduler.Cancellable task;
    boolean forgotten;

    Slot(SpiffeId id) {
      this.id = id;
    }

    void scheduleAt(Instant at) {
      synchronized (lock) {
        if (forgotten) {
          return;
        }
        next = at;
        task = scheduler.schedule(this::refresh, at);
      }
    }

    void forget() {
      forgotten = true;
      certificate = null;
      if (task != null) {
        task.cancel();
      }
    }

    private void refresh() {
      synchronized (lock) {
        if (forgotten) {
          return;
        }
      }
      CaClient.Fetched fetched;
      try {
        fetched = issuer.issue(id);
      } catch (RuntimeException e) {
        failed(e);
        return;
      }
      Instant renewAt = schedule.afterSuccess(fetched.certificate());
      synchronized (lock) {
        if (forgotten) {
          return;
        }
        learn(fetched.bundle());
        certificate = fetched.certificate();
        failures = 0;
        lastError = "";
      }
      log.info("certificate for {} issued: serial {}, valid until {}, renewing at {}", id,
          fetched.certificate().leaf().getSerialNumber().toString(16), fetched.certificate().notAfter(), renewAt);
      scheduleAt(renewAt);
      notifyListeners();
    }

    private void failed(RuntimeException e) {
      Instant now = clock.instant();
      Instant retry;
      boolean hasValid;
      int attempt;
      synchronized (lock) {
        if (forgotten) {
          return;
        }
        attempt = ++failures;
        lastError = e.getMessage() == null ? e.toString() : e.getMessage();
        WorkloadCertificate held = certificate;
        hasValid = held != null && held.isValidAt(now);
        retry = schedule.afterFailure(now, failures, Optional.ofNullable(held).map(WorkloadCertificate::notAfter));
      }
      log.warn("certificate for {} not issued (attempt {} failed: {}); {}, retrying at {}", id, attempt, e.getMessage(),
          hasValid ? "keeping the current certificate" : "no usable certificate yet", retry);
      scheduleAt(retry);
    }

    CertificateStatus status(Instant now) {
      WorkloadCertificate cert = certificate;
      if (cert == null) {
        return new CertificateStatus(id.toString(), CertificateStatus.State.PENDING, "", null, null, next, lastError);
      }
      CertificateStatus.State state;
      if (now.isAfter(cert.notAfter())) {
        state = CertificateStatus.State.EXPIRED;
      } else if (!now.isBefore(cert.renewAt())) {
        state = CertificateStatus.State.EXPIRING;
      } else {
        state = CertificateStatus.State.VALID;
      }
      return new CertificateStatus(id.toString(), state, cert.leaf().getSerialNumber().toString(16),
          cert.notBefore(), cert.notAfter(), next, lastError);
    }
  }
}
