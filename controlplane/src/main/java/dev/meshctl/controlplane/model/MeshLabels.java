package dev.meshctl.controlplane.model;

/** Names the labels and annotations that enroll workloads and bind them to waypoints. */
public final class MeshLabels {
  /** {@code ambient} enrolls a namespace or pod; {@code none} on a pod opts it out. */
  public static final String DATAPLANE_MODE = "istio.io/dataplane-mode";
  public static final String MODE_AMBIENT = "ambient";
  public static final String MODE_NONE = "none";

  /** Names the waypoint (Gateway) a namespace, service or pod sends its traffic through; {@code none} opts out. */
  public static final String USE_WAYPOINT = "istio.io/use-waypoint";
  /** Namespace of the waypoint named by {@link #USE_WAYPOINT}, when it is not the labelled object's. */
  public static final String USE_WAYPOINT_NAMESPACE = "istio.io/use-waypoint-namespace";
  /** On a waypoint Gateway: which traffic it handles ({@code service}, {@code workload}, {@code all}, {@code none}). */
  public static final String WAYPOINT_FOR = "istio.io/waypoint-for";
  /** On a pod: the Gateway it is an instance of; such pods are never captured. */
  public static final String GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";
  /** On a waypoint Gateway: the service account whose workloads it serves (one waypoint per service account). */
  public static final String SERVICE_ACCOUNT_ANNOTATION = "meshctl.dev/service-account";

  public static final String CANONICAL_NAME = "service.istio.io/canonical-name";
  public static final String CANONICAL_REVISION = "service.istio.io/canonical-revision";
  public static final String APP = "app";
  public static final String VERSION = "version";

  /** Gateway classes that make a Gateway a waypoint. */
  public static final String WAYPOINT_CLASS = "istio-waypoint";
  public static final String MESHCTL_WAYPOINT_CLASS = "meshctl-waypoint";

  private MeshLabels() {}
}
