package dev.meshctl.lab;

import dev.meshctl.lab.netns.NetnsProvider;
import java.nio.file.Files;
import java.util.List;

/** Finds cluster providers by name and remembers which provider runs each lab. */
public final class LabProviders {
  private final LabHome home;

  public LabProviders(LabHome home) {
    this.home = home;
  }

  /** Returns the provider called {@code name}. */
  public ClusterProvider get(String name) {
    return switch (name) {
      case NetnsProvider.NAME -> new NetnsProvider(home.root().resolve("cache"));
      case dev.meshctl.lab.kind.KindProvider.NAME -> new dev.meshctl.lab.kind.KindProvider();
      default -> throw new LabException("unknown provider \"" + name + "\": use one of " + names());
    };
  }

  /** Lists provider names. */
  public static List<String> names() {
    return List.of(NetnsProvider.NAME, dev.meshctl.lab.kind.KindProvider.NAME);
  }

  /** Opens lab {@code name} with the provider that created it. */
  public Cluster open(String name) {
    var dir = home.labDir(name);
    if (!Files.exists(dir.resolve("lab.json"))) {
      throw new LabException("lab " + name + " is not up: run `meshctl lab up"
          + ("default".equals(name) ? "" : " --name " + name) + "`");
    }
    String provider = new dev.meshctl.lab.state.LabStateFile(dir).read().map(s -> s.provider())
        .orElse(NetnsProvider.NAME);
    return get(provider).open(name, dir);
  }

  public LabHome home() {
    return home;
  }
}
