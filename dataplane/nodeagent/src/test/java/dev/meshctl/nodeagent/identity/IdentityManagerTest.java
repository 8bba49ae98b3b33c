package dev.meshctl.nodeagent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.RenewalSchedule;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.tls.TlsIdentity;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdentityManagerTest {

  static final String CURL = "spiffe://cluster.local/ns/default/sa/curl";
  static final String SERVER = "spiffe://cluster.local/ns/shop/sa/server";

  ManualTime time;
  LocalCa ca;
  AtomicBoolean caDown;
  List<SpiffeId> requests;
  IdentityManager manager;

  @BeforeEach
  void setUp() {
    time = new ManualTime(Instant.parse("2030-01-01T00:00:00Z"));
    ca = LocalCa.selfSigned("cluster.local", Duration.ofHours(24), time);
    caDown = new AtomicBoolean();
    requests = new ArrayList<>();
    CertificateIssuer issuer = id -> {
      requests.add(id);
      if (caDown.get()) {
        throw new IdentityException("the CA did not issue a certificate for " + id + ": UNAVAILABLE");
      }
      return ca.issue(id);
    };
    manager = new IdentityManager("node-1", "cluster.local", issuer, time,
        new RenewalSchedule(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(1), new Random(7)), time);
  }

  static Workload workload(String uid, String node, String ns, String sa, TunnelProtocol protocol) {
    return Workload.newBuilder().setUid(uid).setName(uid).setNamespace(ns).setNode(node).addAddresses("10.0.0.1")
        .setServiceAccount(sa).setTunnelProtocol(protocol).build();
  }

  @Test
  void issuesCertificatesOnlyForLocalEnrolledWorkloads() {
    manager.update(List.of(
        workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE),
        workload("b", "node-1", "default", "curl", TunnelProtocol.HBONE),
        workload("c", "node-2", "shop", "server", TunnelProtocol.HBONE),
        workload("d", "node-1", "legacy", "old", TunnelProtocol.NONE)));
    assertThat(manager.pending()).containsExactly(CURL);
    assertThat(manager.certificates()).singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo(CertificateStatus.State.PENDING));
    assertThat(manager.identity(CURL)).isEmpty();

    time.runDue();

    assertThat(requests).containsExactly(SpiffeId.parse(CURL));
    assertThat(manager.pending()).isEmpty();
    TlsIdentity tls = manager.identity(CURL).orElseThrow();
    assertThat(tls.trustRoots()).containsExactly(ca.root());
    assertThat(manager.certificates()).singleElement().satisfies(c -> {
      assertThat(c.state()).isEqualTo(CertificateStatus.State.VALID);
      assertThat(c.serial()).isEqualTo(tls.leaf().getSerialNumber().toString(16));
    });
    assertThat(manager.identity(SERVER)).isEmpty();
  }

  @Test
  void renewsAtHalfLife() {
    manager.update(List.of(workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE)));
    time.runDue();
    TlsIdentity first = manager.identity(CURL).orElseThrow();
    Instant notBefore = first.leaf().getNotBefore().toInstant();
    Instant notAfter = first.leaf().getNotAfter().toInstant();
    Instant half = notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
    assertThat(time.nextDue()).contains(half);

    time.advanceTo(half.minusSeconds(1));
    assertThat(requests).hasSize(1);
    time.advanceTo(half);

    assertThat(requests).hasSize(2);
    assertThat(manager.identity(CURL).orElseThrow().leaf().getSerialNumber())
        .isNotEqualTo(first.leaf().getSerialNumber());
  }

  @Test
  void keepsTheValidCertificateAndBacksOffWhileTheCaFails() {
    manager.update(List.of(workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE)));
    time.runDue();
    TlsIdentity held = manager.identity(CURL).orElseThrow();
    caDown.set(true);
    time.advanceTo(time.nextDue().orElseThrow());

    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      Instant before = time.instant();
      Instant next = time.nextDue().orElseThrow();
      delays.add(Duration.between(before, next));
      time.advanceTo(next);
    }
    // Doubling from 1 s with up to 20% jitter, capped at 60 s.
    assertThat(delays.get(0)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(1));
    assertThat(delays.get(1)).isBetween(Duration.ofMillis(1600), Duration.ofSeconds(2));
    assertThat(delays.get(8)).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(60));
    assertThat(manager.identity(CURL)).hasValueSatisfying(
        t -> assertThat(t.leaf().getSerialNumber()).isEqualTo(held.leaf().getSerialNumber()));
    assertThat(manager.certificates()).singleElement().satisfies(c -> {
      assertThat(c.state()).isEqualTo(CertificateStatus.State.EXPIRING);
      assertThat(c.lastError()).contains("UNAVAILABLE");
    });

    caDown.set(false);
    time.advanceTo(time.nextDue().orElseThrow());
    assertThat(manager.certificates()).singleElement().satisfies(c -> {
      assertThat(c.state()).isEqualTo(CertificateStatus.State.VALID);
      assertThat(c.lastError()).isEmpty();
    });
  }

  @Test
  void aFirstCertificateThatFailsStaysPendingAndIsRetried() {
    caDown.set(true);
    manager.update(List.of(workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE)));
    time.runDue();
    assertThat(manager.pending()).containsExactly(CURL);
    assertThat(manager.identity(CURL)).isEmpty();
    caDown.set(false);
    time.advanceTo(time.nextDue().orElseThrow());
    assertThat(manager.pending()).isEmpty();
  }

  @Test
  void forgetsIdentitiesNoLongerNeeded() {
    List<String> events = new ArrayList<>();
    manager.addListener(() -> events.add("changed"));
    manager.update(List.of(workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE)));
    time.runDue();
    assertThat(manager.identity(CURL)).isPresent();

    manager.update(List.of());

    assertThat(manager.identity(CURL)).isEmpty();
    assertThat(manager.certificates()).isEmpty();
    assertThat(time.nextDue()).isEmpty();
    assertThat(events).hasSize(2);
  }

  @Test
  void verifiesPeersAgainstTheLearnedBundle() throws Exception {
    assertThatThrownBy(() -> manager.peerVerifier().verify(List.of(ca.root())))
        .isInstanceOf(CertificateException.class).hasMessageContaining("no trust bundle yet");
    manager.update(List.of(workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE)));
    time.runDue();

    CaClient.Fetched peer = ca.issue(SpiffeId.parse(SERVER));
    assertThat(manager.peerVerifier().verify(peer.certificate().chain())).isEqualTo(SERVER);

    LocalCa stranger = LocalCa.selfSigned("cluster.local", Duration.ofHours(1), time);
    List<java.security.cert.X509Certificate> foreign = stranger.issue(SpiffeId.parse(SERVER)).certificate().chain();
    assertThatThrownBy(() -> manager.peerVerifier().verify(foreign))
        .isInstanceOf(CertificateException.class).hasMessageContaining("does not chain to a trusted root");
  }

  @Test
  void anExpiredCertificateIsNotHandedOut() {
    manager.update(List.of(workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE)));
    time.runDue();
    caDown.set(true);
    Instant notAfter = manager.identity(CURL).orElseThrow().leaf().getNotAfter().toInstant();
    while (!time.instant().isAfter(notAfter)) {
      time.advanceTo(time.nextDue().orElseThrow());
    }
    assertThat(manager.identity(CURL)).isEmpty();
    assertThat(manager.pending()).containsExactly(CURL);
    assertThat(manager.certificates()).singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo(CertificateStatus.State.EXPIRED));
  }
}
