package dev.meshctl.controlplane.ca;

import dev.meshctl.api.ca.CertificateRequest;
import dev.meshctl.api.ca.CertificateResponse;
import dev.meshctl.api.ca.CertificateServiceGrpc;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.SvidVerifier;
import dev.meshctl.core.identity.TrustBundle;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code meshctl.ca.CertificateService}: authenticates the caller (a node's bootstrap token in
 * {@code authorization: Bearer <token>}, or an mTLS client certificate of the mesh), authorizes the
 * requested identity, signs the CSR and returns the chain with the root last.
 *
 * <pre>{@code
 * Server server = NettyServerBuilder.forPort(15012)
 *     .addService(new CaGrpcService(ca, nodeCredentials, directory).definition())
 *     .build().start();
 * }</pre>
 */
public final class CaGrpcService {

    private static final Logger log = LoggerFactory.getLogger(CaGrpcService.class);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Metadata> HEADERS = Context.key("meshctl-ca-headers");
    private static final Context.Key<List<X509Certificate>> PEER_CHAIN = Context.key("meshctl-ca-peer-chain");

    private final MeshCa ca;
    private final NodeAuthenticator nodes;
    private final WorkloadDirectory directory;
    private final CertificateAuthorizer authorizer;

    /** Creates the service for {@code ca}, authenticating nodes with {@code nodes} and locating pods with {@code directory}. */
    public CaGrpcService(MeshCa ca, NodeAuthenticator nodes, WorkloadDirectory directory) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.authorizer = new CertificateAuthorizer(ca.trustDomain());
    }

    /** Returns the service definition to add to a gRPC server. */
    public ServerServiceDefinition definition() {
        ServerCallHandler<CertificateRequest, CertificateResponse> unary = ServerCalls.asyncUnaryCall(this::handle);
        ServerCallHandler<CertificateRequest, CertificateResponse> withCallerContext = new ServerCallHandler<>() {
            @Override
            public ServerCall.Listener<CertificateRequest> startCall(
                    ServerCall<CertificateRequest, CertificateResponse> call, Metadata headers) {
                Context context = Context.current()
                        .withValue(HEADERS, headers)
                        .withValue(PEER_CHAIN, peerChain(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
                return Contexts.interceptCall(context, call, headers, unary);
            }
        };
        return ServerServiceDefinition.builder(CertificateServiceGrpc.serviceDescriptor())
                .addMethod(CertificateServiceGrpc.CREATE_CERTIFICATE, withCallerContext)
                .build();
    }

    private void handle(CertificateRequest request, StreamObserver<CertificateResponse> responses) {
        try {
            Caller caller = authenticate(HEADERS.get(), PEER_CHAIN.get());
            responses.onNext(createCertificate(caller, request));
            responses.onCompleted();
        } catch (StatusException e) {
            log.warn("refused certificate request for '{}': {} {}", printable(request.getIdentity()),
                    e.getStatus().getCode(), e.getStatus().getDescription());
            responses.onError(e);
        } catch (RuntimeException e) {
            log.error("failed to issue a certificate for '{}'", printable(request.getIdentity()), e);
            responses.onError(Status.INTERNAL
                    .withDescription("the CA failed to issue the certificate: " + e.getMessage()
                            + "; see the control plane log")
                    .asException());
        }
    }

    /** Establishes who is calling: a bearer token wins over a client certificate; neither is refused. */
    Caller authenticate(Metadata headers, List<X509Certificate> peerChain) throws StatusException {
        String authorization = headers == null ? null : headers.get(AUTHORIZATION);
        if (authorization != null) {
            String token = bearerToken(authorization);
            Optional<String> node = nodes.authenticate(token);
            if (node.isEmpty()) {
                throw Status.UNAUTHENTICATED.withDescription("the bootstrap token is not recognized"
                        + " (wrong, or revoked); reissue a token for this node and restart its node agent").asException();
            }
            return Caller.node(node.get());
        }
        if (peerChain != null && !peerChain.isEmpty()) {
            try {
                TrustBundle bundle = new TrustBundle(ca.trustDomain(), ca.trustBundle());
                return Caller.workload(new SvidVerifier(bundle, ca.clock()).verify(peerChain));
            } catch (IdentityException e) {
                throw Status.UNAUTHENTICATED.withDescription("the client certificate is not a valid identity of this mesh: "
                        + e.getMessage()).asException();
            }
        }
        throw Status.UNAUTHENTICATED.withDescription("no credentials: send the header 'authorization: Bearer <token>'"
                + " with this node's bootstrap token, or connect with a mesh client certificate").asException();
    }

    /** Authorizes and signs one request for an authenticated caller. */
    CertificateResponse createCertificate(Caller caller, CertificateRequest request) throws StatusException {
        SpiffeId identity = requestedIdentity(caller, request);
        if (request.getValiditySeconds() < 0) {
            throw invalid("validity_seconds is negative (" + request.getValiditySeconds() + "); send 0 for the default");
        }
        Duration ttl = request.getValiditySeconds() == 0
                ? MeshCa.DEFAULT_TTL : Duration.ofSeconds(request.getValiditySeconds());
        CertificateAuthorizer.Decision decision = authorizer.decide(caller, identity, directory);
        if (!decision.allowed()) {
            throw Status.PERMISSION_DENIED.withDescription(decision.reason()).asException();
        }
        List<X509Certificate> chain;
        try {
            PKCS10CertificationRequest csr = Pem.decodeCsr(request.getCsr());
            chain = ca.sign(csr, identity, ttl);
        } catch (IdentityException e) {
            throw invalid("the CSR was refused: " + e.getMessage());
        }
        CertificateResponse.Builder response = CertificateResponse.newBuilder();
        for (X509Certificate certificate : chain) {
            response.addCertChain(Pem.encodeCertificate(certificate));
        }
        response.addCertChain(Pem.encodeCertificate(ca.root()));
        log.info("issued certificate for {} to {} (serial {}, expires {})", identity, describe(caller),
                chain.get(0).getSerialNumber().toString(16), chain.get(0).getNotAfter().toInstant());
        return response.build();
    }

    private static SpiffeId requestedIdentity(Caller caller, CertificateRequest request) throws StatusException {
        if (request.getIdentity().isEmpty()) {
            if (caller instanceof Caller.Workload) {
                return ((Caller.Workload) caller).id();
            }
            throw invalid("identity is empty; set it to the SPIFFE ID wanted,"
                    + " spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>");
        }
        try {
            return SpiffeId.parse(request.getIdentity());
        } catch (IdentityException e) {
            throw invalid(e.getMessage());
        }
    }

    private static String bearerToken(String authorization) throws StatusException {
        String prefix = "bearer ";
        if (authorization.length() <= prefix.length()
                || !authorization.substring(0, prefix.length()).toLowerCase(Locale.ROOT).equals(prefix)) {
            throw Status.UNAUTHENTICATED.withDescription("the authorization header is not 'Bearer <token>';"
                    + " send this node's bootstrap token in that form").asException();
        }
        return authorization.substring(prefix.length()).strip();
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        if (session == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate) {
                    chain.add((X509Certificate) certificate);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private static StatusException invalid(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asException();
    }

    private static String describe(Caller caller) {
        return caller instanceof Caller.Node ? "node " + ((Caller.Node) caller).name() : String.valueOf(((Caller.Workload) caller).id());
    }

    /** Keeps hostile identities from forging log lines. */
    private static String printable(String s) {
        return s.length() > 256 ? s.substring(0, 256).replaceAll("\\p{Cntrl}", "?") + "..." : s.replaceAll("\\p{Cntrl}", "?");
    }
}
