package dev.meshctl.objects.validation;

import java.util.Optional;
import java.util.regex.Pattern;

/** Checks Kubernetes name formats: DNS-1123 labels and subdomains, label keys and values, port names. */
public final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private Names() {}

  /** Explains why {@code name} is not a DNS-1123 label (as Namespace and Service names must be). */
  public static Optional<String> dnsLabel(String name) {
    if (name.length() > 63) {
      return Optional.of("must be at most 63 characters, got " + name.length());
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      return Optional.of("\"" + name + "\" is not a valid DNS-1123 label: use lower-case letters, digits and '-',"
          + " starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** Explains why {@code name} is not a DNS-1123 subdomain (as most object names must be). */
  public static Optional<String> dnsSubdomain(String name) {
    if (name.length() > 253) {
      return Optional.of("must be at most 253 characters, got " + name.length());
    }
    if (!DNS_SUBDOMAIN.matcher(name).matches()) {
      return Optional.of("\"" + name + "\" is not a valid DNS-1123 subdomain: use lower-case letters, digits,"
          + " '-' and '.', starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** Explains why {@code key} is not a valid label or annotation key ({@code [prefix/]name}). */
  public static Optional<String> labelKey(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || dnsSubdomain(prefix).isPresent()) {
        return Optional.of("label key \"" + key + "\" has an invalid prefix; it must be a DNS subdomain");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
      return Optional.of("label key \"" + key + "\" is invalid: the name part must be 1-63 letters, digits, '-',"
          + " '_' or '.', starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** Explains why {@code value} is not a valid label value (empty is allowed). */
  public static Optional<String> labelValue(String value) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
      return Optional.of("label value \"" + value + "\" is invalid: use at most 63 letters, digits, '-', '_' or"
          + " '.', starting and ending with a letter or digit");
    }
    return Optional.empty();
  }

  /** Explains why {@code name} is not a valid named port (IANA service name: 1-15 chars with a letter). */
  public static Optional<String> portName(String name) {
    if (name.length() > 15 || !PORT_NAME.matcher(name).matches() || name.contains("--")
        || name.chars().noneMatch(Character::isLetter)) {
      return Optional.of("\"" + name + "\" is not a valid port name: use at most 15 lower-case letters, digits"
          + " and '-', with at least one letter");
    }
    return Optional.empty();
  }
}
