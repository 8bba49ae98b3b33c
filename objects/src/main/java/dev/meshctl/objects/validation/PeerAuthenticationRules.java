package dev.meshctl.objects.validation;

import static dev.meshctl.objects.FieldPath.child;

import dev.meshctl.objects.istio.PeerAuthentication;
import dev.meshctl.objects.istio.PeerAuthenticationSpec;
import dev.meshctl.objects.istio.PeerAuthenticationSpec.Mode;
import dev.meshctl.objects.istio.PeerAuthenticationSpec.Mtls;

/** Checks PeerAuthentications: mode values, and port-level settings only on policies with a selector. */
public final class PeerAuthenticationRules {
  private PeerAuthenticationRules() {}

  /** Checks a PeerAuthentication. */
  public static void peerAuthentication(PeerAuthentication object, Findings findings) {
    PeerAuthenticationSpec spec = object.getSpec();
    if (spec == null) {
      return;
    }
    if (spec.selector() != null) {
      MetadataRules.labels(spec.selector().matchLabels(), "spec.selector.matchLabels", findings);
    }
    mtls(spec.mtls(), "spec.mtls", findings);
    if (spec.portLevelMtls().isEmpty()) {
      return;
    }
    if (spec.selector() == null || spec.selector().matchLabels().isEmpty()) {
      findings.add("spec.portLevelMtls", "needs a workload selector (spec.selector.matchLabels); Istio ignores"
          + " port-level settings on namespace- or mesh-wide policies");
    }
    spec.portLevelMtls().forEach((port, mtls) -> {
      String path = child("spec.portLevelMtls", port);
      try {
        findings.port(path, Integer.parseInt(port));
      } catch (NumberFormatException e) {
        findings.add(path, "keys must be port numbers, got \"" + port + "\"");
      }
      if (mtls == null) {
        findings.add(path, "needs a mode, e.g. {mode: DISABLE}");
      } else {
        mtls(mtls, path, findings);
      }
    });
  }

  private static void mtls(Mtls mtls, String path, Findings findings) {
    if (mtls != null && mtls.mode() != null && Mode.parse(mtls.mode()).isEmpty()) {
      findings.add(child(path, "mode"), "must be UNSET, DISABLE, PERMISSIVE or STRICT, got \"" + mtls.mode() + "\"");
    }
  }
}
