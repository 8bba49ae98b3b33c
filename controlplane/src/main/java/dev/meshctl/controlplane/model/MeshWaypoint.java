package dev.meshctl.controlplane.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Describes a waypoint: a Gateway of class {@code istio-waypoint} (or {@code meshctl-waypoint}) and its
 * ready instances.
 *
 * @param namespace the Gateway's namespace
 * @param name the Gateway's name
 * @param waypointFor which traffic it takes ({@code istio.io/waypoint-for})
 * @param serviceAccount for a per-service-account waypoint, the service account it serves; else empty
 * @param identity the SPIFFE id its instances present
 * @param instanceAddresses the IPs of its ready instances, sorted
 * @param address where proxies reach it: its Service's cluster IP, else its first ready instance; empty when none
 * @param hbonePort its HBONE port
 */
public record MeshWaypoint(
    String namespace,
    String name,
    TrafficType waypointFor,
    String serviceAccount,
    String identity,
    List<String> instanceAddresses,
    String address,
    int hbonePort) {

  /** The HBONE port, as Istio's waypoints use. */
  public static final int HBONE_PORT = 15008;

  /** Which traffic a waypoint takes, from label {@code istio.io/waypoint-for}. */
  public enum TrafficType {
    SERVICE, WORKLOAD, ALL, NONE;

    /** Parses a label value; absent means SERVICE; empty result for an unknown value. */
    public static Optional<TrafficType> parse(String value) {
      if (value == null || value.isEmpty()) {
        return Optional.of(SERVICE);
      }
      for (TrafficType t : values()) {
        if (t.name().equals(value.toUpperCase(Locale.ROOT))) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }

    /** Returns the label value. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public MeshWaypoint {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(waypointFor, "waypointFor");
    serviceAccount = serviceAccount == null ? "" : serviceAccount;
    Objects.requireNonNull(identity, "identity");
    instanceAddresses = List.copyOf(instanceAddresses);
    address = address == null ? "" : address;
  }

  /** Returns {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  /** Tells whether the waypoint has a ready instance (until it does, bound traffic goes direct). */
  public boolean ready() {
    return !instanceAddresses.isEmpty() && !address.isEmpty();
  }

  /** Tells whether this is a per-service-account waypoint. */
  public boolean perServiceAccount() {
    return !serviceAccount.isEmpty();
  }

  /** Tells whether the waypoint takes traffic addressed to services (per-service-account waypoints take all). */
  public boolean takesServiceTraffic() {
    return waypointFor == TrafficType.ALL || waypointFor == TrafficType.SERVICE
        || (perServiceAccount() && waypointFor != TrafficType.NONE);
  }

  /** Tells whether the waypoint takes traffic addressed to workloads (per-service-account waypoints take all). */
  public boolean takesWorkloadTraffic() {
    return waypointFor == TrafficType.ALL || waypointFor == TrafficType.WORKLOAD
        || (perServiceAccount() && waypointFor != TrafficType.NONE);
  }
}
