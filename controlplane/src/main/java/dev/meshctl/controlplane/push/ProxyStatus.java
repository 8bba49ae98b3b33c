package dev.meshctl.controlplane.push;

import dev.meshctl.api.discovery.ProxyType;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Describes one connected proxy stream for debugging ({@code meshctl proxy-status}).
 *
 * @param streamId server-local stream number
 * @param proxyKey the snapshot key the proxy is served from
 * @param nodeId {@code node.id}
 * @param nodeName {@code node.node_name}
 * @param type node agent or waypoint
 * @param connectedSince when the stream's first request arrived
 * @param types per subscribed type URL
 */
public record ProxyStatus(
    long streamId,
    String proxyKey,
    String nodeId,
    String nodeName,
    ProxyType type,
    Instant connectedSince,
    Map<String, TypeStatus> types) {

  public ProxyStatus {
    Objects.requireNonNull(proxyKey, "proxyKey");
    Objects.requireNonNull(connectedSince, "connectedSince");
    types = Map.copyOf(types);
  }

  /**
   * Describes one type's sub-stream.
   *
   * @param ackedVersion snapshot version of the last ACKed response; empty if none yet
   * @param pendingNonce nonce of the response awaiting ACK/NACK; empty if none
   * @param lastNack message of the last NACK; empty if never rejected
   * @param resources how many resources the proxy holds (as of its last ACK)
   */
  public record TypeStatus(String ackedVersion, String pendingNonce, String lastNack, int resources) {
    public TypeStatus {
      Objects.requireNonNull(ackedVersion, "ackedVersion");
      Objects.requireNonNull(pendingNonce, "pendingNonce");
      Objects.requireNonNull(lastNack, "lastNack");
    }
  }
}
