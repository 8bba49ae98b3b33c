package dev.meshctl.nodeagent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshctl.api.ca.CertificateRequest;
import dev.meshctl.api.ca.CertificateResponse;
import dev.meshctl.api.ca.CertificateServiceGrpc;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.core.identity.CaClient;
import dev.meshctl.core.identity.CertificateRequests;
import dev.meshctl.core.identity.Pem;
import dev.meshctl.core.identity.RenewalSchedule;
import dev.meshctl.core.identity.SpiffeId;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCalls;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The identity manager against a CA speaking the real CertificateService protocol, in-process. */
class GrpcCaTest {

  static final String TOKEN = "node-1-token";

  ManualTime time;
  LocalCa ca;
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    time = new ManualTime(Instant.now());
    ca = LocalCa.selfSigned("cluster.local", Duration.ofHours(24), time);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(service(ca)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void tearDown() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  /** A tiny CA: checks the bearer token, signs the CSR's key for the requested identity, returns leaf and root. */
  static ServerServiceDefinition service(LocalCa ca) {
    ServerServiceDefinition definition = ServerServiceDefinition.builder(CertificateServiceGrpc.serviceDescriptor())
        .addMethod(CertificateServiceGrpc.CREATE_CERTIFICATE,
            ServerCalls.asyncUnaryCall((CertificateRequest request, io.grpc.stub.StreamObserver<CertificateResponse> out) -> {
              try {
                PublicKey key = CertificateRequests.verifiedPublicKey(Pem.decodeCsr(request.getCsr()));
                SpiffeId id = SpiffeId.parse(request.getIdentity());
                out.onNext(CertificateResponse.newBuilder()
                    .addCertChain(Pem.encodeCertificate(ca.sign(id, key, Duration.ofHours(24))))
                    .addCertChain(Pem.encodeCertificate(ca.root())).build());
                out.onCompleted();
              } catch (RuntimeException e) {
                out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
              }
            }))
        .build();
    return ServerInterceptors.intercept(definition, new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        if (!("Bearer " + TOKEN).equals(headers.get(CaClient.AUTHORIZATION))) {
          call.close(Status.UNAUTHENTICATED.withDescription("unknown bootstrap token"), new Metadata());
          return new ServerCall.Listener<>() { };
        }
        return next.startCall(call, headers);
      }
    });
  }

  IdentityManager manager(String token) {
    CertificateIssuer issuer = id -> new CaClient(channel, token, time).fetchWithBundle(id);
    return new IdentityManager("node-1", "cluster.local", issuer, time, RenewalSchedule.defaults(new Random(1)), time);
  }

  @Test
  void obtainsCertificatesAndLearnsTheRootFromTheCa() {
    IdentityManager manager = manager(TOKEN);
    manager.update(List.of(IdentityManagerTest.workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE)));
    time.runDue();

    assertThat(manager.identity(IdentityManagerTest.CURL)).isPresent();
    assertThat(manager.trustBundle()).hasValueSatisfying(b -> assertThat(b.roots()).containsExactly(ca.root()));
  }

  @Test
  void aRefusedTokenLeavesTheIdentityPendingWithTheReason() {
    IdentityManager manager = manager("wrong");
    manager.update(List.of(IdentityManagerTest.workload("a", "node-1", "default", "curl", TunnelProtocol.HBONE)));
    time.runDue();

    assertThat(manager.pending()).containsExactly(IdentityManagerTest.CURL);
    assertThat(manager.certificates()).singleElement().satisfies(c -> {
      assertThat(c.state()).isEqualTo(CertificateStatus.State.PENDING);
      assertThat(c.lastError()).contains("UNAUTHENTICATED").contains("unknown bootstrap token");
    });
    assertThat(time.nextDue()).isPresent();
  }
}
