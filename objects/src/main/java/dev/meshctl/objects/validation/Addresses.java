package dev.meshctl.objects.validation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks IP addresses and CIDR blocks without ever resolving a host name. */
public final class Addresses {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private Addresses() {}

  /** Explains why {@code value} is neither an IP address nor a CIDR block such as {@code 10.0.0.0/16}. */
  public static Optional<String> ipOrCidr(String value) {
    String address = value;
    int slash = value.indexOf('/');
    Integer prefix = null;
    if (slash >= 0) {
      address = value.substring(0, slash);
      try {
        prefix = Integer.parseInt(value.substring(slash + 1));
      } catch (NumberFormatException e) {
        return Optional.of(invalid(value));
      }
    }
    int bits;
    if (IPV4.matcher(address).matches()) {
      bits = 32;
    } else if (address.contains(":") && IPV6_CHARS.matcher(address).matches() && isIpv6(address)) {
      bits = 128;
    } else {
      return Optional.of(invalid(value));
    }
    if (prefix != null && (prefix < 0 || prefix > bits)) {
      return Optional.of("\"" + value + "\": prefix length must be 0.." + bits);
    }
    return Optional.empty();
  }

  // A literal containing ':' is parsed as IPv6 by InetAddress without any name lookup.
  private static boolean isIpv6(String address) {
    try {
      InetAddress.getByName(address);
      return true;
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String invalid(String value) {
    return "\"" + value + "\" is not an IP address or CIDR block (e.g. 10.1.0.0/16 or 2001:db8::/32)";
  }
}
