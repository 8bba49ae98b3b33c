package dev.meshctl.api.discovery;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Route;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.Waypoint;
import dev.meshctl.api.mesh.Workload;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Names the type URLs of mesh resources ({@code type.meshctl.dev/meshctl.mesh.Workload}, ...) and
 * packs messages under them.
 */
public final class TypeUrls {

  /** Prefix passed to {@link Any#pack(Message, String)}. */
  public static final String PREFIX = "type.meshctl.dev";

  public static final String WORKLOAD = of(Workload.getDefaultInstance());
  public static final String SERVICE = of(Service.getDefaultInstance());
  public static final String AUTHORIZATION = of(Authorization.getDefaultInstance());
  public static final String WAYPOINT = of(Waypoint.getDefaultInstance());
  public static final String ROUTE = of(Route.getDefaultInstance());

  /** What a node agent subscribes to. */
  public static final List<String> NODE_AGENT_TYPES = List.of(WORKLOAD, SERVICE, AUTHORIZATION, WAYPOINT);

  /** What a waypoint subscribes to. */
  public static final List<String> WAYPOINT_TYPES = List.of(WORKLOAD, SERVICE, AUTHORIZATION, WAYPOINT, ROUTE);

  private static final Map<String, Message> KNOWN = Map.of(
      WORKLOAD, Workload.getDefaultInstance(),
      SERVICE, Service.getDefaultInstance(),
      AUTHORIZATION, Authorization.getDefaultInstance(),
      WAYPOINT, Waypoint.getDefaultInstance(),
      ROUTE, Route.getDefaultInstance());

  private TypeUrls() {}

  /** Returns the type URL of a message's type. */
  public static String of(Message message) {
    Objects.requireNonNull(message, "message");
    return PREFIX + "/" + message.getDescriptorForType().getFullName();
  }

  /** Returns the type URL of a generated message class. */
  public static String of(Class<? extends Message> type) {
    Objects.requireNonNull(type, "type");
    return of(com.google.protobuf.Internal.getDefaultInstance(type));
  }

  /** Packs a message under {@link #PREFIX}. */
  public static Any pack(Message message) {
    Objects.requireNonNull(message, "message");
    return Any.pack(message, PREFIX);
  }

  /** Returns the default instance of a mesh resource type, or empty for a type this API does not define. */
  public static Optional<Message> defaultInstance(String typeUrl) {
    Objects.requireNonNull(typeUrl, "typeUrl");
    return Optional.ofNullable(KNOWN.get(typeUrl));
  }
}
