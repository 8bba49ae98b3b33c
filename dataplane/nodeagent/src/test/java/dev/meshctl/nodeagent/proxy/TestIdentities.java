package dev.meshctl.nodeagent.proxy;

import dev.meshctl.core.tls.TestPki;
import dev.meshctl.core.tls.PeerVerifier;
import dev.meshctl.core.tls.PkixPeerVerifier;
import dev.meshctl.core.tls.TlsIdentity;
import dev.meshctl.nodeagent.identity.WorkloadIdentities;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Issues test certificates on demand from one test root, for any identity asked for. */
final class TestIdentities implements WorkloadIdentities {

    private final TestPki pki;
    private final Map<String, TlsIdentity> issued = new ConcurrentHashMap<>();

    TestIdentities(TestPki pki) {
        this.pki = pki;
    }

    @Override
    public Optional<TlsIdentity> identity(String spiffeId) {
        return Optional.of(issued.computeIfAbsent(spiffeId, pki::issue));
    }

    @Override
    public PeerVerifier peerVerifier() {
        return PkixPeerVerifier.trusting(List.of(pki.root()));
    }
}
