package dev.meshctl.objects.istio;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/** Represents an Istio {@code PeerAuthentication} (security.istio.io/v1, also accepted as v1beta1). */
// HasMetadata would otherwise route decoding through fabric8's kind-dispatching deserializer.
@JsonDeserialize(using = ValueDeserializer.None.class)
@Group("security.istio.io")
@Version("v1")
@Kind("PeerAuthentication")
@Plural("peerauthentications")
public final class PeerAuthentication extends IstioObject<PeerAuthenticationSpec> {
  /** Creates an empty object, for Jackson. */
  public PeerAuthentication() {}

  /** Creates a PeerAuthentication with the given metadata and spec. */
  public PeerAuthentication(ObjectMeta metadata, PeerAuthenticationSpec spec) {
    super(metadata, spec);
  }

  @Override
  public String getKind() {
    return "PeerAuthentication";
  }
}
