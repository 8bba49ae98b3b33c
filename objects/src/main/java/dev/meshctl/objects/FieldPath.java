package dev.meshctl.objects;

import java.util.regex.Pattern;

/** Builds field paths the way users read them: {@code spec.template.spec.containers[0].ports[1].containerPort}. */
public final class FieldPath {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  private FieldPath() {}

  /** Appends a field (or map key) to {@code parent}; keys that are not plain names are bracketed. */
  public static String child(String parent, String name) {
    if (!PLAIN.matcher(name).matches()) {
      return parent + "[" + name + "]";
    }
    return parent == null || parent.isEmpty() ? name : parent + "." + name;
  }

  /** Appends a list index to {@code parent}. */
  public static String index(String parent, int index) {
    return (parent == null ? "" : parent) + "[" + index + "]";
  }
}
