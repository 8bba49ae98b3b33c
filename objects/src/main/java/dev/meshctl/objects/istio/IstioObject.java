package dev.meshctl.objects.istio;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Holds what every Istio object shares: apiVersion, kind, metadata, a typed spec and an opaque status.
 *
 * @param <S> the spec type
 */
// HasMetadata would otherwise route decoding through fabric8's kind-dispatching deserializer.
@JsonDeserialize(using = ValueDeserializer.None.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public abstract class IstioObject<S> implements HasMetadata, Namespaced {
  /** Istio's current policy API group and version. */
  public static final String API_VERSION = "security.istio.io/v1";

  private String apiVersion = API_VERSION;
  private ObjectMeta metadata;
  private S spec;
  // Objects exported from a cluster carry a status; it is kept as-is and never interpreted.
  private Map<String, Object> status;

  IstioObject() {}

  IstioObject(ObjectMeta metadata, S spec) {
    this.metadata = metadata;
    this.spec = spec;
  }

  @Override
  @JsonProperty("apiVersion")
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  @Override
  @JsonProperty("kind")
  public abstract String getKind();

  /** Accepts the kind field; the kind is fixed by the class and was checked before decoding. */
  @JsonProperty("kind")
  void setKind(String kind) {
    // Intentionally ignored.
  }

  @Override
  @JsonProperty("metadata")
  public ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  @JsonProperty("spec")
  public S getSpec() {
    return spec;
  }

  public void setSpec(S spec) {
    this.spec = spec;
  }

  @JsonProperty("status")
  public Map<String, Object> getStatus() {
    return status;
  }

  public void setStatus(Map<String, Object> status) {
    this.status = status;
  }

  @JsonIgnore
  @Override
  public String getPlural() {
    return HasMetadata.super.getPlural();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o == null || o.getClass() != getClass()) {
      return false;
    }
    IstioObject<?> other = (IstioObject<?>) o;
    return Objects.equals(apiVersion, other.apiVersion)
        && Objects.equals(metadata, other.metadata)
        && Objects.equals(spec, other.spec)
        && Objects.equals(status, other.status);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), apiVersion, metadata, spec, status);
  }

  @Override
  public String toString() {
    return getKind() + "(apiVersion=" + apiVersion + ", metadata=" + metadata + ", spec=" + spec + ")";
  }
}
