package dev.meshctl.nodeagent.config;

import dev.meshctl.core.identity.Pem;
import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Opens the node agent's one gRPC channel to the control plane (discovery and CA on the same port): TLS that trusts
 * only the mesh root from a file, the node token as call credentials, and keepalive pings so a dead control plane
 * is noticed.
 *
 * <pre>{@code
 * try (ControlPlaneConnection cp = ControlPlaneConnection.open("172.18.0.2:15012", rootCert, tokenFile)) {
 *   ConfigClient.builder(node, cp.channel()).callOptions(CallOptions.DEFAULT.withCallCredentials(cp.token()));
 * }
 * }</pre>
 */
public final class ControlPlaneConnection implements AutoCloseable {

  private final String target;
  private final ManagedChannel channel;
  private final BearerToken token;

  private ControlPlaneConnection(String target, ManagedChannel channel, BearerToken token) {
    this.target = target;
    this.channel = channel;
    this.token = token;
  }

  /**
   * Opens a channel to {@code target} ({@code host:port}); connecting happens lazily, on the first call.
   *
   * @throws IllegalArgumentException naming the file that is missing or unusable
   */
  public static ControlPlaneConnection open(String target, Path rootCertFile, Path tokenFile) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rootCertFile, "rootCertFile");
    Objects.requireNonNull(tokenFile, "tokenFile");
    BearerToken token = new BearerToken(tokenFile);
    try {
      token.read();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    ChannelCredentials tls;
    try {
      // Parsed here so a wrong file fails at start, not on every reconnect.
      Pem.decodeCertificates(Pem.read(rootCertFile));
      tls = TlsChannelCredentials.newBuilder().trustManager(rootCertFile.toFile()).build();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot use " + rootCertFile + " as the mesh root certificate: "
          + e.getMessage() + "; pass the control plane's ca/root-cert.pem with --root-cert", e);
    }
    ManagedChannel channel = Grpc.newChannelBuilder(target, tls)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .userAgent("meshctl-node-agent")
        .build();
    return new ControlPlaneConnection(target, channel, token);
  }

  /** Returns the control plane's address as given. */
  public String target() {
    return target;
  }

  /** Returns the channel; discovery and CA calls share it. */
  public ManagedChannel channel() {
    return channel;
  }

  /** Returns the node token, for calls and for the CA client. */
  public BearerToken token() {
    return token;
  }

  /** Returns the channel's connectivity without triggering a connection. */
  public ConnectivityState state() {
    return channel.getState(false);
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
