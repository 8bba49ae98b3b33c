package dev.meshctl.objects.validation;

import java.util.Set;

/** Checks Kubernetes port protocols (TCP, UDP, SCTP; absent means TCP). */
final class Protocols {
  private static final Set<String> ALLOWED = Set.of("TCP", "UDP", "SCTP");

  private Protocols() {}

  static void check(String protocol, String field, Findings findings) {
    if (protocol != null && !ALLOWED.contains(protocol)) {
      findings.add(field, "must be TCP, UDP or SCTP, got \"" + protocol + "\"");
    }
  }
}
