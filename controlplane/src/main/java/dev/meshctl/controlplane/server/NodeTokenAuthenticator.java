package dev.meshctl.controlplane.server;

import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.ProxyType;
import dev.meshctl.controlplane.ca.NodeAuthenticator;
import dev.meshctl.controlplane.push.Authenticator;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.Optional;

/**
 * Lets a node agent receive config only as the node its bootstrap token was issued for. A waypoint authenticates with
 * a token issued for {@code waypoint/<namespace>/<name>}.
 */
final class NodeTokenAuthenticator implements Authenticator {
  private final NodeAuthenticator credentials;

  NodeTokenAuthenticator(NodeAuthenticator credentials) {
    this.credentials = credentials;
  }

  @Override
  public void authenticate(Metadata headers, Node node) throws StatusException {
    String header = headers.get(AUTHORIZATION);
    if (header == null || !header.startsWith("Bearer ")) {
      throw Status.UNAUTHENTICATED.withDescription("no bootstrap token: start the proxy with its --token-file")
          .asException();
    }
    Optional<String> who = credentials.authenticate(header.substring("Bearer ".length()).trim());
    if (who.isEmpty()) {
      throw Status.UNAUTHENTICATED.withDescription("unknown bootstrap token: re-run `meshctl install` to reissue")
          .asException();
    }
    String expected = node.getType() == ProxyType.WAYPOINT ? waypointTokenName(node.getId()) : node.getNodeName();
    if (!who.get().equals(expected)) {
      throw Status.PERMISSION_DENIED.withDescription("token was issued for " + who.get() + ", not for " + expected)
          .asException();
    }
  }

  /** Maps a waypoint's node id {@code waypoint~<ns>/<name>} to its token name {@code waypoint/<ns>/<name>}. */
  static String waypointTokenName(String nodeId) {
    return "waypoint/" + (nodeId.startsWith("waypoint~") ? nodeId.substring("waypoint~".length()) : nodeId);
  }
}
