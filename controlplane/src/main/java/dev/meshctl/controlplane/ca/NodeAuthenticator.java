package dev.meshctl.controlplane.ca;

import java.util.Optional;

/**
 * Turns a bearer token into who presented it: a node name, or {@code waypoint/<ns>/<name>}. Lab bootstrap tokens
 * ({@link NodeCredentials}) and Kubernetes service-account tokens (TokenReview) both answer this way.
 */
@FunctionalInterface
public interface NodeAuthenticator {
  Optional<String> authenticate(String token);
}
