package dev.meshctl.nodeagent.config;

import dev.meshctl.api.mesh.Authorization;
import dev.meshctl.api.mesh.Port;
import dev.meshctl.api.mesh.Service;
import dev.meshctl.api.mesh.TunnelProtocol;
import dev.meshctl.api.mesh.Workload;
import dev.meshctl.core.config.ConfigState;
import dev.meshctl.core.config.ConfigValidator;
import dev.meshctl.core.identity.IdentityException;
import dev.meshctl.core.identity.SpiffeId;
import dev.meshctl.core.rbac.PolicyValidator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses config the node agent cannot use as written: workloads without addresses or with a malformed identity,
 * services with bad addresses or ports, policies it cannot enforce. The message names the resource and the field.
 */
public final class NodeAgentConfigValidator implements ConfigValidator {

  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  @Override
  public void validate(String typeUrl, ConfigState candidate) {
    check(candidate);
  }

  /**
   * Checks every resource of {@code state}.
   *
   * @throws IllegalArgumentException naming the first unusable resource and field
   */
  public static void check(ConfigState state) {
    for (Map.Entry<String, Workload> e : state.resources(Workload.class).entrySet()) {
      checkWorkload(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Service> e : state.resources(Service.class).entrySet()) {
      checkService(e.getKey(), e.getValue());
    }
    for (Authorization policy : state.resources(Authorization.class).values()) {
      PolicyValidator.check(policy);
    }
  }

  static void checkWorkload(String name, Workload w) {
    String what = "workload '" + name + "'";
    if (w.getNamespace().isEmpty()) {
      throw new IllegalArgumentException(what + " has no namespace");
    }
    if (w.getAddressesCount() == 0) {
      throw new IllegalArgumentException(what + " (" + w.getNamespace() + "/" + w.getName()
          + ") has no addresses; traffic to it could never be matched");
    }
    addresses(what, "addresses", w.getAddressesList());
    if (w.getTunnelProtocol() == TunnelProtocol.HBONE) {
      try {
        SpiffeId.of(w.getTrustDomain().isEmpty() ? "cluster.local" : w.getTrustDomain(), w.getNamespace(),
            w.getServiceAccount().isEmpty() ? "default" : w.getServiceAccount());
      } catch (IdentityException e) {
        throw new IllegalArgumentException(what + " has no valid identity (trust_domain, namespace, service_account): "
            + e.getMessage(), e);
      }
    }
    if (w.hasWaypoint() && w.getWaypoint().getAddress().isEmpty()) {
      throw new IllegalArgumentException(what + " has a waypoint without an address");
    }
  }

  static void checkService(String name, Service s) {
    String what = "service '" + name + "'";
    if (s.getHostname().isEmpty()) {
      throw new IllegalArgumentException(what + " has no hostname");
    }
    addresses(what, "addresses", s.getAddressesList());
    for (Port p : s.getPortsList()) {
      if (p.getServicePort() < 1 || p.getServicePort() > 65535) {
        throw new IllegalArgumentException(what + " has service_port " + p.getServicePort() + "; use 1-65535");
      }
      if (p.getTargetPort() > 65535) {
        throw new IllegalArgumentException(what + " has target_port " + p.getTargetPort() + "; use 0-65535");
      }
    }
    if (s.hasWaypoint() && s.getWaypoint().getAddress().isEmpty()) {
      throw new IllegalArgumentException(what + " has a waypoint without an address");
    }
  }

  private static void addresses(String what, String field, List<String> addresses) {
    for (String a : addresses) {
      if (!isIpLiteral(a)) {
        throw new IllegalArgumentException(what + " has " + field + " entry '" + a
            + "' which is not an IP address (e.g. 10.244.1.5)");
      }
    }
  }

  /** Returns whether {@code s} is an IPv4 or IPv6 literal, without any name lookup. */
  static boolean isIpLiteral(String s) {
    if (IPV4.matcher(s).matches()) {
      return true;
    }
    if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) {
      return false;
    }
    try {
      // With a ':' the JDK parses the text as an IPv6 literal and never resolves it.
      InetAddress.getByName(s);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
