package dev.meshctl.controlplane.bench;

/**
 * Holds what one applied change cost; times in nanoseconds from the moment the change was handed to the control
 * plane.
 *
 * @param kind which change ({@link Kind})
 * @param model time to index the objects ({@code MeshModel.of})
 * @param translate time to translate the model into snapshots
 * @param publish time to {@code cache.set} every snapshot
 * @param lastResponse when the push server handed the last response of the change to the transport
 * @param propagation when the last proxy that had to ACK did
 * @param clientNanos time the clients spent handling the responses, summed over all clients
 * @param bytes serialized size of every response of the change, summed over all proxies
 * @param responses number of responses
 * @param proxiesReached proxies that received at least one response
 * @param proxiesExpected proxies whose snapshot changed
 */
record ChangeSample(Kind kind, long model, long translate, long publish, long lastResponse, long propagation,
    long clientNanos, long bytes, long responses, int proxiesReached, int proxiesExpected) {

  /** The changes the benchmark applies. */
  enum Kind {
    POD_LABEL("pod label change"),
    POD_ADDED("pod added"),
    POLICY("AuthorizationPolicy change");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  /** Returns the time spent on the control plane's side: model, translation and publishing. */
  long translation() {
    return model + translate + publish;
  }
}
