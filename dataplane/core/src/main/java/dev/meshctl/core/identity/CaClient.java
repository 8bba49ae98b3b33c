package dev.meshctl.core.identity;

import dev.meshctl.api.ca.CertificateRequest;
import dev.meshctl.api.ca.CertificateResponse;
import dev.meshctl.api.ca.CertificateServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Fetches workload certificates from the mesh CA: generates the key pair in-process (the key never
 * leaves it), sends a CSR with the bootstrap token, and accepts the returned chain only after
 * verifying it as an X.509-SVID for the requested identity.
 *
 * <pre>{@code
 * CaClient ca = new CaClient(channel, token, Clock.systemUTC());
 * WorkloadCertificate cert = ca.fetch(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl"));
 * }</pre>
 */
public final class CaClient {

    /** The metadata key that carries {@code Bearer <token>}. */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Channel channel;
    private final Clock clock;
    private final Optional<TrustBundle> pinned;
    private final Duration validity;
    private final Duration deadline;

    /** Creates a client that authenticates with {@code bearerToken} and trusts the root the CA returns. */
    public CaClient(Channel channel, String bearerToken, Clock clock) {
        this(withToken(channel, bearerToken), clock, Optional.empty(), Duration.ZERO, Duration.ofSeconds(10));
    }

    private CaClient(Channel channel, Clock clock, Optional<TrustBundle> pinned, Duration validity, Duration deadline) {
        this.channel = channel;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pinned = pinned;
        this.validity = validity;
        this.deadline = deadline;
    }

    /** Returns a client that verifies chains against {@code bundle} instead of the root the CA returns. */
    public CaClient withPinnedBundle(TrustBundle bundle) {
        return new CaClient(channel, clock, Optional.of(Objects.requireNonNull(bundle, "bundle")), validity, deadline);
    }

    /** Returns a client that asks for {@code validity} (zero means the CA's default). */
    public CaClient withValidity(Duration validity) {
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative()) {
            throw new IllegalArgumentException("validity must not be negative: " + validity);
        }
        return new CaClient(channel, clock, pinned, validity, deadline);
    }

    /** Returns a client whose calls give up after {@code deadline}. */
    public CaClient withDeadline(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
        return new CaClient(channel, clock, pinned, validity, deadline);
    }

    /**
     * Fetches a fresh certificate for {@code id}.
     *
     * @throws IdentityException if the CA refuses, cannot be reached, or returns a chain that does not verify
     */
    public WorkloadCertificate fetch(SpiffeId id) {
        return fetchWithBundle(id).certificate();
    }

    /** Fetches a fresh certificate for {@code id} together with the trust bundle it was verified against. */
    public Fetched fetchWithBundle(SpiffeId id) {
        Objects.requireNonNull(id, "id");
        KeyPair keyPair = KeyPairs.ecP256();
        CertificateRequest request = CertificateRequest.newBuilder()
                .setCsr(Pem.encodeCsr(CertificateRequests.create(keyPair, id)))
                .setValiditySeconds(validity.toSeconds())
                .setIdentity(id.toString())
                .build();
        CertificateResponse response;
        try {
            response = ClientCalls.blockingUnaryCall(channel, CertificateServiceGrpc.CREATE_CERTIFICATE,
                    CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), request);
        } catch (StatusRuntimeException e) {
            throw new IdentityException("the CA did not issue a certificate for " + id + ": "
                    + e.getStatus().getCode() + ": " + e.getStatus().getDescription(), e);
        }
        return accept(id, keyPair, response);
    }

    private Fetched accept(SpiffeId id, KeyPair keyPair, CertificateResponse response) {
        if (response.getCertChainCount() < 2) {
            throw new IdentityException("the CA returned " + response.getCertChainCount()
                    + " certificate(s) for " + id + "; expected the leaf and at least the root");
        }
        List<X509Certificate> all = new ArrayList<>();
        for (String pem : response.getCertChainList()) {
            all.addAll(Pem.decodeCertificates(pem));
        }
        X509Certificate returnedRoot = all.get(all.size() - 1);
        List<X509Certificate> chain = List.copyOf(all.subList(0, all.size() - 1));
        TrustBundle bundle = pinned.orElseGet(() -> TrustBundle.of(id.trustDomain(), returnedRoot));
        SpiffeId issued = new SvidVerifier(bundle, clock).verify(chain);
        if (!issued.equals(id)) {
            throw new IdentityException("the CA issued a certificate for " + issued + " but " + id + " was requested");
        }
        if (!KeyPairs.matches(chain.get(0).getPublicKey(), keyPair.getPrivate())) {
            throw new IdentityException("the CA returned a certificate for " + id + " that is not for the key in the CSR");
        }
        return new Fetched(WorkloadCertificate.of(id, chain, keyPair.getPrivate()), bundle);
    }

    private static Channel withToken(Channel channel, String bearerToken) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(bearerToken, "bearerToken");
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + bearerToken);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /**
     * A fetched certificate and the bundle it verified against.
     *
     * @param certificate the workload certificate, root excluded
     * @param bundle the pinned bundle, or the root the CA returned
     */
    public record Fetched(WorkloadCertificate certificate, TrustBundle bundle) {

        /** Checks the fields. */
        public Fetched {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(bundle, "bundle");
        }
    }
}
