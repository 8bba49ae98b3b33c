package dev.meshctl.controlplane.model;

import java.util.Objects;

/**
 * Records that a service or workload asked for a waypoint, and whether its traffic goes through it.
 *
 * @param subject what is bound
 * @param namespace the bound object's namespace
 * @param name the bound object's name (Service or Pod name)
 * @param waypointNamespace the waypoint's namespace
 * @param waypointName the waypoint's (Gateway's) name
 * @param source which label or annotation asked for the waypoint
 * @param accepted whether the waypoint exists and takes this kind of traffic (it then gets the subject's config)
 * @param ready whether traffic goes through the waypoint now (accepted and the waypoint has a ready instance)
 * @param reason why, in words an operator can act on
 */
public record WaypointBinding(
    Subject subject,
    String namespace,
    String name,
    String waypointNamespace,
    String waypointName,
    Source source,
    boolean accepted,
    boolean ready,
    String reason) {

  /** What is bound: a Service's traffic or a Pod's workload traffic. */
  public enum Subject { SERVICE, WORKLOAD }

  /** What asked for the binding, in order of precedence. */
  public enum Source { OBJECT_LABEL, SERVICE_ACCOUNT, NAMESPACE_LABEL }

  public WaypointBinding {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(waypointNamespace, "waypointNamespace");
    Objects.requireNonNull(waypointName, "waypointName");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
    if (ready && !accepted) {
      throw new IllegalArgumentException("BUG: a binding cannot be ready without being accepted");
    }
  }

  /** Returns {@code namespace/name} of the waypoint. */
  public String waypointKey() {
    return waypointNamespace + "/" + waypointName;
  }

  /** Returns {@code namespace/name} of the bound object. */
  public String subjectKey() {
    return namespace + "/" + name;
  }
}
