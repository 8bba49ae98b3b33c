package dev.meshctl.lab;

import java.util.regex.Pattern;

/** Validates lab names: they become part of network namespace names, so they are short and plain. */
public final class LabNames {
  private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?");

  private LabNames() {}

  /** Throws a {@link LabException} unless {@code name} is 1-20 lowercase letters, digits or inner hyphens. */
  public static String check(String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new LabException("invalid lab name '" + name
          + "': use 1-20 lowercase letters, digits and inner hyphens (e.g. 'default', 'lab-2')");
    }
    return name;
  }
}
