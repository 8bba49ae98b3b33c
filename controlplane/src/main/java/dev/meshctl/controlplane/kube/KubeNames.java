package dev.meshctl.controlplane.kube;

/** Names that the installed mesh and the in-cluster control plane agree on. */
public final class KubeNames {
  /** The namespace the mesh is installed in. */
  public static final String NAMESPACE = "istio-system";
  /** The control plane's Deployment, Service and ServiceAccount. */
  public static final String CONTROL_PLANE = "meshctl-control-plane";
  /** The node agent's DaemonSet and ServiceAccount. */
  public static final String NODE_AGENT = "meshctl-node-agent";
  /** The ConfigMap holding the mesh root certificate, read by node agents and waypoints. */
  public static final String ROOT_CERT_CONFIG_MAP = "meshctl-root-cert";
  /** The key of the root certificate in {@link #ROOT_CERT_CONFIG_MAP}. */
  public static final String ROOT_CERT_KEY = "root-cert.pem";
  /** The audience of the projected service-account tokens presented to the control plane. */
  public static final String TOKEN_AUDIENCE = "meshctl";
  /** Marks every object meshctl created, so uninstall finds them all. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "meshctl";
  /** The environment variable that tells the in-cluster control plane its own image (waypoints use it too). */
  public static final String IMAGE_ENV = "MESHCTL_IMAGE";
  /** The Secret where the in-cluster control plane keeps the root CA it generated (as Istio's istio-ca-secret). */
  public static final String CA_SECRET = "meshctl-ca-secret";
  /** The Secret of a plug-in CA, in Istio's {@code cacerts} layout; when present it wins over {@link #CA_SECRET}. */
  public static final String PLUGIN_CA_SECRET = "cacerts";
  /** The prefix of the name a waypoint authenticates as, as with bootstrap tokens: {@code waypoint/<ns>/<name>}. */
  public static final String WAYPOINT_PREFIX = "waypoint/";

  private KubeNames() {}

  /** Returns the service-account username Kubernetes reports for {@code namespace/name}. */
  public static String serviceAccountUser(String namespace, String name) {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  /** Returns the in-cluster DNS name of the control plane's Service. */
  public static String controlPlaneHost(String namespace) {
    return CONTROL_PLANE + "." + namespace + ".svc";
  }
}
