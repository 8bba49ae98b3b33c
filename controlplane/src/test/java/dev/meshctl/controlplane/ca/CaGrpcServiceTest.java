package dev.meshctl.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.api.ca.CertificateRequest;
import dev.meshctl.api.ca.CertificateResponse;
import dev.meshctl.api.ca.CertificateServiceGrpc;
import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.CertificateRequests;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.KeyPairs;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.identity.SvidVerifier;
import dev.meshctl.core.identity.TrustBundle;
import dev.meshctl.core.identity.WorkloadCertificate;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaGrpcServiceTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final SpiffeId CURL = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/curl");
    private static final SpiffeId REVIEWS = SpiffeId.parse("spiffe://cluster.local/ns/bookinfo/sa/reviews");
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> PLACEMENT = Set.of("node-1 default curl", "node-2 bookinfo reviews");
    private static final WorkloadDirectory DIRECTORY = (node, ns, sa) -> PLACEMENT.contains(node + " " + ns + " " + sa);

    @TempDir
    Path dir;

    private final NodeCredentials nodes = NodeCredentials.inMemory();
    private final String node1Token = nodes.issue("node-1");
    private MeshCa ca = MeshCa.generateRoot("cluster.local", CLOCK);
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private Channel start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new CaGrpcService(ca, nodes, DIRECTORY).definition()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        return channel;
    }

    @Test
    void aNodeAgentFetchesAVerifiedCertificateForItsPod() throws Exception {
        CaClient client = new CaClient(start(), node1Token, CLOCK);

        CaClient.Fetched fetched = client.fetchWithBundle(CURL);

        WorkloadCertificate cert = fetched.certificate();
        assertThat(cert.id()).isEqualTo(CURL);
        assertThat(cert.chain()).hasSize(1);
        assertThat(KeyPairs.matches(cert.leaf().getPublicKey(), cert.key())).isTrue();
        assertThat(Duration.between(cert.notBefore(), cert.notAfter())).isEqualTo(MeshCa.DEFAULT_TTL.plusMinutes(1));
        assertThat(fetched.bundle().roots()).containsExactly(ca.root());
    }

    @Test
    void honoursTheRequestedValidity() throws Exception {
        CaClient client = new CaClient(start(), node1Token, CLOCK).withValidity(Duration.ofHours(1));

        WorkloadCertificate cert = client.fetch(CURL);

        assertThat(Duration.between(cert.notBefore(), cert.notAfter())).isEqualTo(Duration.ofMinutes(61));
    }

    @Test
    void returnsLeafIntermediateAndRootForAPlugInIntermediate() throws Exception {
        TestCas.PlugIn files = TestCas.intermediate(MeshCa.generateRoot("cluster.local", CLOCK), dir, CLOCK.instant(), true);
        ca = MeshCa.load(files.cert(), files.key(), Optional.of(files.chain()), "cluster.local", CLOCK);
        Channel ch = start();

        CertificateResponse response = call(ch, "Bearer " + node1Token, request(CURL, CURL));
        WorkloadCertificate cert = new CaClient(ch, node1Token, CLOCK).withPinnedBundle(TrustBundle.of("cluster.local", files.root()))
                .fetch(CURL);

        assertThat(response.getCertChainCount()).isEqualTo(3);
        assertThat(Pem.decodeCertificate(response.getCertChain(1))).isEqualTo(files.intermediate());
        assertThat(Pem.decodeCertificate(response.getCertChain(2))).isEqualTo(files.root());
        assertThat(cert.chain()).hasSize(2).endsWith(files.intermediate());
    }

    @Test
    void signsTheAuthorizedIdentityEvenWhenTheCsrAsksForAnother() throws Exception {
        Channel ch = start();
        CertificateRequest request = CertificateRequest.newBuilder()
                .setCsr(Pem.encodeCsr(CertificateRequests.create(KeyPairs.ecP256(), REVIEWS)))
                .setIdentity(CURL.toString()).build();

        CertificateResponse response = call(ch, "Bearer " + node1Token, request);

        assertThat(SvidVerifier.identityOf(Pem.decodeCertificate(response.getCertChain(0)))).isEqualTo(CURL);
    }

    @Test
    void refusesABadToken() throws Exception {
        Channel ch = start();

        assertStatus(() -> call(ch, "Bearer not-a-token", request(CURL, CURL)), Status.Code.UNAUTHENTICATED, "not recognized");
        assertStatus(() -> call(ch, "Basic " + node1Token, request(CURL, CURL)), Status.Code.UNAUTHENTICATED, "Bearer <token>");
        assertStatus(() -> call(ch, null, request(CURL, CURL)), Status.Code.UNAUTHENTICATED, "no credentials");
        assertThatThrownBy(() -> new CaClient(ch, "not-a-token", CLOCK).fetch(CURL))
                .isInstanceOf(IdentityException.class).hasMessageContaining("UNAUTHENTICATED");
    }

    @Test
    void refusesAnotherNodesIdentity() throws Exception {
        Channel ch = start();

        assertStatus(() -> call(ch, "Bearer " + node1Token, request(REVIEWS, REVIEWS)), Status.Code.PERMISSION_DENIED,
                "only obtain identities of pods scheduled on its own node");
        assertThatThrownBy(() -> new CaClient(ch, node1Token, CLOCK).fetch(REVIEWS))
                .isInstanceOf(IdentityException.class).hasMessageContaining("PERMISSION_DENIED");
    }

    @Test
    void refusesMalformedRequests() throws Exception {
        Channel ch = start();
        String bearer = "Bearer " + node1Token;
        PKCS10CertificationRequest mine = CertificateRequests.create(KeyPairs.ecP256(), CURL);
        PKCS10CertificationRequest other = CertificateRequests.create(KeyPairs.ecP256(), CURL);
        PKCS10CertificationRequest forged = new PKCS10CertificationRequest(new CertificationRequest(
                mine.toASN1Structure().getCertificationRequestInfo(), other.getSignatureAlgorithm(),
                other.toASN1Structure().getSignature()));

        assertStatus(() -> call(ch, bearer, request(CURL, CURL).toBuilder().setCsr("garbage").build()),
                Status.Code.INVALID_ARGUMENT, "CSR");
        assertStatus(() -> call(ch, bearer, request(CURL, CURL).toBuilder().setCsr(
                "-----BEGIN CERTIFICATE REQUEST-----\nAAECAwQ=\n-----END CERTIFICATE REQUEST-----\n").build()),
                Status.Code.INVALID_ARGUMENT, "CSR");
        assertStatus(() -> call(ch, bearer, request(CURL, CURL).toBuilder().setCsr(Pem.encodeCsr(forged)).build()),
                Status.Code.INVALID_ARGUMENT, "signature does not verify");
        assertStatus(() -> call(ch, bearer, request(CURL, CURL).toBuilder().setIdentity("spiffe://cluster.local/ns/a%2Fb/sa/c").build()),
                Status.Code.INVALID_ARGUMENT, "percent-encoding");
        assertStatus(() -> call(ch, bearer, request(CURL, CURL).toBuilder().setIdentity("").build()),
                Status.Code.INVALID_ARGUMENT, "identity is empty");
        assertStatus(() -> call(ch, bearer, request(CURL, CURL).toBuilder().setValiditySeconds(-5).build()),
                Status.Code.INVALID_ARGUMENT, "negative");
    }

    @Test
    void aCallerWithAMeshCertificateMayRenewOnlyItsOwnIdentity() throws Exception {
        CaGrpcService service = new CaGrpcService(ca, nodes, DIRECTORY);
        SpiffeId waypoint = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/waypoint");
        List<X509Certificate> peer = ca.sign(CertificateRequests.create(KeyPairs.ecP256(), waypoint), waypoint);

        Caller caller = service.authenticate(new Metadata(), peer);

        assertThat(caller).isEqualTo(Caller.workload(waypoint));
        CertificateResponse own = service.createCertificate(caller, request(waypoint, waypoint).toBuilder().setIdentity("").build());
        assertThat(SvidVerifier.identityOf(Pem.decodeCertificate(own.getCertChain(0)))).isEqualTo(waypoint);
        assertThatThrownBy(() -> service.createCertificate(caller, request(CURL, CURL)))
                .isInstanceOfSatisfying(StatusException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void refusesAClientCertificateFromAnotherCa() {
        CaGrpcService service = new CaGrpcService(ca, nodes, DIRECTORY);
        MeshCa other = MeshCa.generateRoot("cluster.local", CLOCK);
        List<X509Certificate> peer = other.sign(CertificateRequests.create(KeyPairs.ecP256(), CURL), CURL);

        assertThatThrownBy(() -> service.authenticate(new Metadata(), peer))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("does not chain to a trusted root");
                });
    }

    @Test
    void theClientRefusesAChainThatDoesNotVerifyAgainstItsPinnedBundle() throws Exception {
        CaClient client = new CaClient(start(), node1Token, CLOCK)
                .withPinnedBundle(TrustBundle.of("cluster.local", MeshCa.generateRoot("cluster.local", CLOCK).root()));

        assertThatThrownBy(() -> client.fetch(CURL))
                .isInstanceOf(IdentityException.class).hasMessageContaining("does not chain to a trusted root");
    }

    private static CertificateRequest request(SpiffeId csrIdentity, SpiffeId identity) {
        return CertificateRequest.newBuilder()
                .setCsr(Pem.encodeCsr(CertificateRequests.create(KeyPairs.ecP256(), csrIdentity)))
                .setIdentity(identity.toString())
                .build();
    }

    private static CertificateResponse call(Channel channel, String authorization, CertificateRequest request) {
        Channel target = channel;
        if (authorization != null) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, authorization);
            target = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return ClientCalls.blockingUnaryCall(target, CertificateServiceGrpc.CREATE_CERTIFICATE,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    }

    private static void assertStatus(Runnable call, Status.Code code, String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description);
        });
    }
}
