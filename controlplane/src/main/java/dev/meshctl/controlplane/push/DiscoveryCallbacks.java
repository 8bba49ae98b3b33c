package dev.meshctl.controlplane.push;

import dev.meshctl.api.discovery.DeltaDiscoveryRequest;
import dev.meshctl.api.discovery.DeltaDiscoveryResponse;
import dev.meshctl.api.discovery.Node;

/**
 * Observes the push server (metrics, logs, tests). Every method has a no-op default.
 *
 * <p>Calls for one stream are serialized; calls for different streams may be concurrent. Must not
 * block.
 */
public interface DiscoveryCallbacks {

  /** A stream's first request arrived and its node was authenticated. */
  default void onStreamOpen(long streamId, Node node) {}

  /** A request arrived (after {@link #onStreamOpen} for the first one). */
  default void onRequest(long streamId, DeltaDiscoveryRequest request) {}

  /** A response was handed to the transport. */
  default void onResponse(long streamId, DeltaDiscoveryResponse response) {}

  /** The proxy applied a response. */
  default void onAck(long streamId, String typeUrl, String nonce) {}

  /** The proxy rejected a response; it keeps its last ACKed resources. */
  default void onNack(long streamId, String typeUrl, String nonce, String message) {}

  /** The stream ended; {@code error} is null for a clean close. */
  default void onStreamClose(long streamId, Node node, Throwable error) {}

  /** Does nothing. */
  static DiscoveryCallbacks none() {
    return new DiscoveryCallbacks() { };
  }
}
