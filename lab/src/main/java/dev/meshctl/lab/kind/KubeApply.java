package dev.meshctl.lab.kind;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies one object the way {@code kubectl apply} reports it: created when it was missing, unchanged when every field
 * it sets already has that value, else configured by server-side apply (field manager {@value #FIELD_MANAGER}). An API
 * server that cannot take apply patches gets a replace instead.
 *
 * <pre>{@code
 * KubeApply.Result r = KubeApply.apply(client, deployment); // CREATED, CONFIGURED or UNCHANGED
 * String line = KubeApply.line(deployment) + " " + r.word(); // "deployment.apps/web configured"
 * }</pre>
 */
public final class KubeApply {
  /** The field manager server-side apply records for meshctl. */
  public static final String FIELD_MANAGER = "meshctl";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** Fields the API server owns: a manifest that carries them (copied from a live object) still reads unchanged. */
  private static final Set<String> SERVER_METADATA = Set.of("resourceVersion", "uid", "creationTimestamp",
      "generation", "managedFields", "selfLink");

  private KubeApply() {}

  /** Says what applying one object did. */
  public enum Result {
    CREATED, CONFIGURED, UNCHANGED;

    /** Returns kubectl's word for it ("created"). */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Applies {@code desired}.
   *
   * @throws KubernetesClientException when the API server refuses the object
   */
  public static Result apply(KubernetesClient client, HasMetadata desired) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(desired, "desired");
    HasMetadata live = client.resource(desired).get();
    if (live == null) {
      try {
        client.resource(desired).create();
        return Result.CREATED;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // Created by someone else since the get: apply over it.
        live = client.resource(desired).get();
      }
    }
    if (live != null && contains(SERIALIZATION.convertValue(live, Map.class),
        SERIALIZATION.convertValue(desired, Map.class))) {
      return Result.UNCHANGED;
    }
    try {
      client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 415) {
        throw e;
      }
      client.resource(desired).update();
    }
    return Result.CONFIGURED;
  }

  /** Returns kubectl's name of {@code o}: {@code kind[.group]/name}. */
  public static String line(HasMetadata o) {
    Objects.requireNonNull(o, "o");
    String api = o.getApiVersion() == null ? "" : o.getApiVersion();
    String group = api.contains("/") ? "." + api.substring(0, api.indexOf('/')) : "";
    return o.getKind().toLowerCase(Locale.ROOT) + group + "/" + o.getMetadata().getName();
  }

  /** Tells whether every field {@code desired} sets has the same value in {@code live} (lists element by element). */
  static boolean contains(Object live, Object desired) {
    if (desired instanceof Map<?, ?> want) {
      if (!(live instanceof Map<?, ?> have)) {
        return false;
      }
      for (Map.Entry<?, ?> e : want.entrySet()) {
        if (e.getValue() == null || SERVER_METADATA.contains(String.valueOf(e.getKey()))) {
          continue;
        }
        if (!contains(have.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired instanceof List<?> want) {
      if (!(live instanceof List<?> have) || have.size() != want.size()) {
        return false;
      }
      for (int i = 0; i < want.size(); i++) {
        if (!contains(have.get(i), want.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (desired instanceof Number || live instanceof Number) {
      // 1 and 1L, or 5 and "5" after a round trip, are the same value.
      return String.valueOf(desired).equals(String.valueOf(live));
    }
    return Objects.equals(desired, live);
  }
}
