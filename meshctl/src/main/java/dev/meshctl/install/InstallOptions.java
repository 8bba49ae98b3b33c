package dev.meshctl.install;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Says how to install: the trust domain, an optional plug-in CA (certificate, key, chain to the root), how long to
 * wait for components to be ready (and, with {@code waitSynced}, for every agent to acknowledge its config), and the
 * workload certificate lifetime node agents ask for (empty: keep what is installed, by default the CA's 24 h).
 */
public record InstallOptions(String trustDomain, Optional<Path> caCert, Optional<Path> caKey,
    Optional<Path> caChain, Duration timeout, boolean waitSynced, Optional<Duration> workloadCertTtl) {

  /** Checks the certificate lifetime (see {@link dev.meshctl.nodeagent.NodeAgentOptions#checkWorkloadCertTtl}). */
  public InstallOptions {
    java.util.Objects.requireNonNull(workloadCertTtl, "workloadCertTtl");
    try {
      workloadCertTtl.ifPresent(dev.meshctl.nodeagent.NodeAgentOptions::checkWorkloadCertTtl);
    } catch (IllegalArgumentException e) {
      throw new dev.meshctl.lab.LabException(e.getMessage(), e);
    }
  }

  /** Creates options that keep the installed workload certificate lifetime. */
  public InstallOptions(String trustDomain, Optional<Path> caCert, Optional<Path> caKey, Optional<Path> caChain,
      Duration timeout, boolean waitSynced) {
    this(trustDomain, caCert, caKey, caChain, timeout, waitSynced, Optional.empty());
  }

  public static InstallOptions defaults() {
    return new InstallOptions("cluster.local", Optional.empty(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(60), false, Optional.empty());
  }
}
