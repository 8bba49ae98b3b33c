package dev.meshctl.nodeagent.config;

import dev.meshctl.api.discovery.Node;
import dev.meshctl.api.discovery.ProxyType;
import dev.meshctl.api.discovery.TypeUrls;
import dev.meshctl.core.config.Backoff;
import dev.meshctl.core.config.ConfigClient;
import dev.meshctl.core.config.ConfigState;
import io.grpc.CallOptions;
import io.grpc.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives config from the control plane's discovery stream for the node agent's types, rejects (NACKs) what the
 * agent cannot use, and delivers only once every type has arrived so a half config (workloads before policies)
 * never reaches the traffic path.
 */
public final class XdsConfigSource implements ConfigSource {

  private final String location;
  private final ConfigClient client;
  private volatile Instant lastUpdate;

  /** Creates a source for node {@code nodeName} streaming on {@code channel} with {@code callOptions}. */
  public XdsConfigSource(String nodeName, String location, Channel channel, CallOptions callOptions, Backoff backoff) {
    Objects.requireNonNull(nodeName, "nodeName");
    this.location = Objects.requireNonNull(location, "location");
    Objects.requireNonNull(channel, "channel");
    this.client = ConfigClient.builder(node(nodeName), channel)
        .typeUrls(TypeUrls.NODE_AGENT_TYPES)
        .validator(new NodeAgentConfigValidator())
        .callOptions(Objects.requireNonNull(callOptions, "callOptions"))
        .backoff(Objects.requireNonNull(backoff, "backoff"))
        .build();
  }

  /** Returns the identity a node agent presents on the discovery stream. */
  public static Node node(String nodeName) {
    Objects.requireNonNull(nodeName, "nodeName");
    return Node.newBuilder().setId("node-agent~" + nodeName).setNodeName(nodeName).setType(ProxyType.NODE_AGENT)
        .build();
  }

  @Override
  public void start(Consumer<ConfigState> listener) {
    Objects.requireNonNull(listener, "listener");
    client.addListener(state -> {
      // Until every type is acknowledged the state is partial: policies may be missing, so nothing is delivered.
      if (client.synced()) {
        lastUpdate = Instant.now();
        listener.accept(state);
      }
    });
    client.start();
  }

  @Override
  public ConfigState current() {
    return client.synced() ? client.current() : ConfigState.empty();
  }

  @Override
  public boolean synced() {
    return client.synced();
  }

  /** Waits up to {@code timeout} for the first complete config. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return client.awaitSynced(timeout);
  }

  @Override
  public SourceStatus status() {
    return new SourceStatus("xds", location, client.synced(), lastUpdate, "");
  }

  @Override
  public void close() {
    client.close();
  }
}
