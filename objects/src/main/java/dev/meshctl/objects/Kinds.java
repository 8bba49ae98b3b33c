package dev.meshctl.objects;

import dev.meshctl.objects.istio.AuthorizationPolicy;
import dev.meshctl.objects.istio.PeerAuthentication;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** Lists the kinds meshctl accepts and maps apiVersion + kind, or a model class, to its {@link Kind}. */
public final class Kinds {
  /** The namespace given to namespaced objects that name none. */
  public static final String DEFAULT_NAMESPACE = "default";

  private static final List<Kind> ALL = List.of(
      new Kind("Namespace", List.of("v1"), Namespace.class, "namespaces", false),
      new Kind("ServiceAccount", List.of("v1"), ServiceAccount.class, "serviceaccounts", true),
      new Kind("Service", List.of("v1"), Service.class, "services", true),
      new Kind("Pod", List.of("v1"), Pod.class, "pods", true),
      new Kind("Deployment", List.of("apps/v1"), Deployment.class, "deployments", true),
      new Kind("AuthorizationPolicy", List.of("security.istio.io/v1", "security.istio.io/v1beta1"),
          AuthorizationPolicy.class, "authorizationpolicies", true),
      new Kind("PeerAuthentication", List.of("security.istio.io/v1", "security.istio.io/v1beta1"),
          PeerAuthentication.class, "peerauthentications", true),
      new Kind("Gateway", List.of("gateway.networking.k8s.io/v1"), Gateway.class, "gateways", true),
      new Kind("HTTPRoute", List.of("gateway.networking.k8s.io/v1"), HTTPRoute.class, "httproutes", true));

  private Kinds() {}

  /** Returns every supported kind, in a stable order (namespaces first). */
  public static List<Kind> all() {
    return ALL;
  }

  /** Finds the kind written as {@code apiVersion} + {@code kind} in YAML. */
  public static Optional<Kind> find(String apiVersion, String kind) {
    return ALL.stream().filter(k -> k.name().equals(kind) && k.apiVersions().contains(apiVersion)).findFirst();
  }

  /** Finds a kind by name alone, whatever the apiVersion. */
  public static Optional<Kind> findByName(String kind) {
    return ALL.stream().filter(k -> k.name().equals(kind)).findFirst();
  }

  /**
   * Returns the kind written as {@code apiVersion} + {@code kind}.
   *
   * @throws IllegalArgumentException naming the kind and listing the supported ones
   */
  public static Kind require(String apiVersion, String kind) {
    return find(apiVersion, kind).orElseThrow(() -> new IllegalArgumentException(unsupported(apiVersion, kind)));
  }

  /** Returns the kind modelled by {@code type}. */
  public static Kind of(Class<?> type) {
    Objects.requireNonNull(type, "type");
    return ALL.stream().filter(k -> k.type() == type).findFirst().orElseThrow(() -> new IllegalArgumentException(
        type.getName() + " is not a supported kind; supported: " + supported()));
  }

  /** Returns the kind of {@code object}. */
  public static Kind of(HasMetadata object) {
    return of(Objects.requireNonNull(object, "object").getClass());
  }

  /** Explains why apiVersion + kind is refused and what is accepted instead. */
  public static String unsupported(String apiVersion, String kind) {
    Optional<Kind> byName = findByName(kind);
    if (byName.isPresent()) {
      return "apiVersion \"" + apiVersion + "\" is not supported for " + kind + "; use "
          + String.join(" or ", byName.get().apiVersions());
    }
    return "unsupported kind \"" + kind + "\" (apiVersion \"" + apiVersion + "\"); supported kinds: " + supported();
  }

  /** Lists the supported kinds as {@code apiVersion Kind}, comma-separated. */
  public static String supported() {
    return ALL.stream().map(Kind::toString).collect(Collectors.joining(", "));
  }

  /** Names an object for messages: {@code Deployment default/reviews-v1} or {@code Namespace bookinfo}. */
  public static String describe(HasMetadata object) {
    Objects.requireNonNull(object, "object");
    ObjectMeta meta = object.getMetadata();
    String name = meta == null ? null : meta.getName();
    String namespace = meta == null ? null : meta.getNamespace();
    boolean namespaced = ALL.stream().filter(k -> k.type() == object.getClass()).findFirst()
        .map(Kind::namespaced).orElse(namespace != null);
    return describe(object.getKind(), namespaced ? namespace : null, name, namespaced);
  }

  static String describe(String kind, String namespace, String name, boolean namespaced) {
    String shownName = name == null || name.isEmpty() ? "(no name)" : name;
    if (!namespaced) {
      return kind + " " + shownName;
    }
    String shownNamespace = namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    return kind + " " + shownNamespace + "/" + shownName;
  }
}
