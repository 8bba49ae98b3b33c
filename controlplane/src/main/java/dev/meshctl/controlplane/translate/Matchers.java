package dev.meshctl.controlplane.translate;

import dev.meshctl.api.mesh.Cidr;
import dev.meshctl.api.mesh.StringMatch;
import java.util.Optional;
import java.util.regex.Pattern;

/** Converts policy values as users write them (wildcards, CIDRs, ports) into match fields. */
final class Matchers {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private Matchers() {}

  /** Converts {@code *} to presence, {@code *x} to suffix, {@code x*} to prefix, anything else to exact. */
  static StringMatch string(String value) {
    if (value.equals("*")) {
      return StringMatch.newBuilder().setPresence(true).build();
    }
    if (value.startsWith("*")) {
      return StringMatch.newBuilder().setSuffix(value.substring(1)).build();
    }
    if (value.endsWith("*")) {
      return StringMatch.newBuilder().setPrefix(value.substring(0, value.length() - 1)).build();
    }
    return StringMatch.newBuilder().setExact(value).build();
  }

  /** Converts a principal, dropping an optional {@code spiffe://} prefix (the agent compares without it). */
  static StringMatch principal(String value) {
    return string(value.startsWith("spiffe://") ? value.substring("spiffe://".length()) : value);
  }

  /** Parses {@code 10.0.0.0/16}, {@code 10.0.0.1} (a /32) or an IPv6 equivalent; empty when malformed. */
  static Optional<Cidr> cidr(String value) {
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    int max;
    if (IPV4.matcher(address).matches()) {
      for (String octet : address.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return Optional.empty();
        }
      }
      max = 32;
    } else if (IPV6.matcher(address).matches()) {
      max = 128;
    } else {
      return Optional.empty();
    }
    int length = max;
    if (slash >= 0) {
      try {
        length = Integer.parseInt(value.substring(slash + 1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (length < 0 || length > max) {
        return Optional.empty();
      }
    }
    return Optional.of(Cidr.newBuilder().setAddress(address).setLength(length).build());
  }

  /** Parses a port number 1-65535; empty when malformed. */
  static Optional<Integer> port(String value) {
    try {
      int port = Integer.parseInt(value.trim());
      return port >= 1 && port <= 65535 ? Optional.of(port) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
