package dev.meshctl.install;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Says how to install: the trust domain, an optional plug-in CA (certificate, key, chain to the root), and how long to
 * wait for components to be ready (and, with {@code waitSynced}, for every agent to acknowledge its config).
 */
public record InstallOptions(String trustDomain, Optional<Path> caCert, Optional<Path> caKey,
    Optional<Path> caChain, Duration timeout, boolean waitSynced) {
  public static InstallOptions defaults() {
    return new InstallOptions("cluster.local", Optional.empty(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(60), false);
  }
}
