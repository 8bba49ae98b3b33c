package dev.meshctl.objects.store;

import dev.meshctl.objects.Kind;
import dev.meshctl.objects.Kinds;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Maps objects to files: {@code <root>/<plural>/<namespace or _cluster>/<name>.yaml}. */
final class StoreLayout {
  static final String CLUSTER_SCOPED = "_cluster";
  static final String SUFFIX = ".yaml";
  // Names become file names: refuse anything that could escape the directory or hide as a dotfile.
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path root;

  StoreLayout(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path kindDirectory(Kind kind) {
    return root.resolve(kind.plural());
  }

  Path file(Kind kind, String namespace, String name) {
    String ns = namespace(kind, namespace);
    requireSafe("name", name);
    return kindDirectory(kind).resolve(ns).resolve(name + SUFFIX);
  }

  /** Returns the namespace directory name: the namespace (default if absent) or {@code _cluster}. */
  static String namespace(Kind kind, String namespace) {
    if (!kind.namespaced()) {
      return CLUSTER_SCOPED;
    }
    String ns = namespace == null || namespace.isEmpty() ? Kinds.DEFAULT_NAMESPACE : namespace;
    requireSafe("namespace", ns);
    return ns;
  }

  static boolean isObjectFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(SUFFIX) && !name.startsWith(".");
  }

  private static void requireSafe(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("cannot store an object without metadata." + what);
    }
    if (!SAFE.matcher(value).matches()) {
      throw new IllegalArgumentException("cannot store an object with " + what + " \"" + value
          + "\": use letters, digits, '.', '-' and '_' only");
    }
  }
}
