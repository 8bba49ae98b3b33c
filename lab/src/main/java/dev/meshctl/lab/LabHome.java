package dev.meshctl.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Locates lab state directories: {@code $MESHCTL_HOME/labs/NAME}, by default under {@code ~/.meshctl}. */
public final class LabHome {
  private final Path root;

  public LabHome(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /** Resolves the home from {@code MESHCTL_HOME}, else {@code ~/.meshctl}. */
  public static LabHome fromEnvironment(Map<String, String> env) {
    String home = env.get("MESHCTL_HOME");
    if (home != null && !home.isBlank()) {
      return new LabHome(Path.of(home));
    }
    return new LabHome(Path.of(System.getProperty("user.home"), ".meshctl"));
  }

  public Path root() {
    return root;
  }

  /** Returns the state directory of lab {@code name} (it may not exist). */
  public Path labDir(String name) {
    return root.resolve("labs").resolve(LabNames.check(name));
  }

  /** Lists the names of labs that have a state directory. */
  public List<String> labNames() {
    Path labs = root.resolve("labs");
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(labs)) {
      return names;
    }
    try (Stream<Path> dirs = Files.list(labs)) {
      dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(names::add);
    } catch (java.io.IOException e) {
      throw new LabException("cannot list labs in " + labs + ": " + e.getMessage(), e);
    }
    return names;
  }
}
