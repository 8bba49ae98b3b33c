package dev.meshctl.objects.istio;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Optional;

/** Says whether selected workloads accept plaintext (mtls.mode), optionally per port (portLevelMtls). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PeerAuthenticationSpec(WorkloadSelector selector, Mtls mtls, Map<String, Mtls> portLevelMtls) {

  /** Istio's mutual TLS modes; UNSET inherits from the namespace or mesh. */
  public enum Mode {
    UNSET, DISABLE, PERMISSIVE, STRICT;

    /** Parses a mode as written in YAML; empty for an unknown value. */
    public static Optional<Mode> parse(String value) {
      for (Mode mode : values()) {
        if (mode.name().equals(value)) {
          return Optional.of(mode);
        }
      }
      return Optional.empty();
    }
  }

  public PeerAuthenticationSpec {
    portLevelMtls = Lists.of(portLevelMtls);
  }

  /** Holds a mode as written; absent means UNSET. */
  public record Mtls(String mode) {
    /** Returns the mode, UNSET when absent; call only after validation. */
    public Mode effectiveMode() {
      return mode == null ? Mode.UNSET : Mode.parse(mode).orElseThrow(
          () -> new IllegalStateException("BUG: unvalidated mTLS mode " + mode));
    }
  }
}
