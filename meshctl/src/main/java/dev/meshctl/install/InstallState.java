package dev.meshctl.install;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshctl.lab.ComponentHost.Component;
import dev.meshctl.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.meshctl.nodeagent.NodeAgentOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Records which mesh component processes run where ({@code mesh/install.json} in the lab's state directory), and the
 * workload certificate lifetime agents ask for ({@code certTtl}, e.g. {@code 2m}; null for the CA's default).
 */
record InstallState(Component controlPlane, Map<String, Component> agents, String trustDomain, String certTtl) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  InstallState {
    agents = new TreeMap<>(agents == null ? Map.of() : agents);
  }

  static Optional<InstallState> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), InstallState.class));
    } catch (IOException e) {
      throw new LabException("mesh install state " + file + " is unreadable (" + e.getMessage()
          + "): run `meshctl uninstall` and install again", e);
    }
  }

  /** Returns the workload certificate lifetime agents ask for; empty for the CA's default. */
  Optional<Duration> workloadCertTtl() {
    return Optional.ofNullable(certTtl).map(t -> NodeAgentOptions.parseDuration("certTtl", t));
  }

  InstallState withWorkloadCertTtl(Optional<Duration> ttl) {
    return new InstallState(controlPlane, agents, trustDomain, ttl.map(NodeAgentOptions::format).orElse(null));
  }

  void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), ".install", ".json");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  InstallState withAgent(String node, Component c) {
    Map<String, Component> next = new TreeMap<>(agents);
    next.put(node, c);
    return new InstallState(controlPlane, next, trustDomain, certTtl);
  }

  InstallState withControlPlane(Component c) {
    return new InstallState(c, agents, trustDomain, certTtl);
  }
}
