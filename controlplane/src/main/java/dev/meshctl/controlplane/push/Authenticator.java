package dev.meshctl.controlplane.push;

import dev.meshctl.api.discovery.Node;
import io.grpc.Metadata;
import io.grpc.StatusException;

/**
 * Decides whether a caller may receive config as the node it claims to be.
 *
 * <p>The production check reads the node bootstrap token from the {@code authorization: Bearer}
 * header and verifies it was issued for {@code node.node_name}.
 */
@FunctionalInterface
public interface Authenticator {

  /** Header carrying {@code Bearer <token>}. */
  Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * Returns normally to allow the stream.
   *
   * @throws StatusException (UNAUTHENTICATED or PERMISSION_DENIED) to close the stream with it
   */
  void authenticate(Metadata headers, Node node) throws StatusException;

  /** Allows everyone (tests and the unsecured lab). */
  static Authenticator allowAll() {
    return (headers, node) -> { };
  }
}
