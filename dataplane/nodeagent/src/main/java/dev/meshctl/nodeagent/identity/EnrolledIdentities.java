package dev.meshctl.nodeagent.identity;

import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.SpiffeId;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides which identities this node needs certificates for: those of its own enrolled (HBONE) workloads. */
public final class EnrolledIdentities {

  private static final Logger log = LoggerFactory.getLogger(EnrolledIdentities.class);

  private EnrolledIdentities() {
  }

  /** Returns whether {@code workload} runs on {@code nodeName} and is captured by the mesh. */
  public static boolean isLocalEnrolled(Workload workload, String nodeName) {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(nodeName, "nodeName");
    return workload.getNode().equals(nodeName) && workload.getTunnelProtocol() == TunnelProtocol.HBONE;
  }

  /** Returns the identity of {@code workload}; an empty trust domain or service account takes the default. */
  public static SpiffeId identityOf(Workload workload, String defaultTrustDomain) {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(defaultTrustDomain, "defaultTrustDomain");
    String td = workload.getTrustDomain().isEmpty() ? defaultTrustDomain : workload.getTrustDomain();
    String sa = workload.getServiceAccount().isEmpty() ? "default" : workload.getServiceAccount();
    return SpiffeId.of(td, workload.getNamespace(), sa);
  }

  /**
   * Returns the identities of the local enrolled workloads among {@code workloads}, sorted. A workload whose identity
   * is malformed is skipped with a warning: one bad pod must not keep certificates from the others.
   */
  public static Set<SpiffeId> of(Collection<Workload> workloads, String nodeName, String defaultTrustDomain) {
    Objects.requireNonNull(workloads, "workloads");
    TreeMap<String, SpiffeId> ids = new TreeMap<>();
    for (Workload w : workloads) {
      if (!isLocalEnrolled(w, nodeName)) {
        continue;
      }
      try {
        SpiffeId id = identityOf(w, defaultTrustDomain);
        ids.put(id.toString(), id);
      } catch (IdentityException e) {
        log.warn("workload {}/{} has no valid identity, no certificate for it: {}", w.getNamespace(), w.getName(),
            e.getMessage());
      }
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(ids.values()));
  }
}
