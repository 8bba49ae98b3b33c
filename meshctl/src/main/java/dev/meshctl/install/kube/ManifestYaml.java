package dev.meshctl.install.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Objects;

/** Writes manifests as one multi-document YAML stream, as {@code meshctl install --dry-run -o yaml} prints them. */
public final class ManifestYaml {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ManifestYaml() {}

  /** Writes {@code objects}, each document starting with {@code ---}. */
  public static String write(List<? extends HasMetadata> objects) {
    Objects.requireNonNull(objects, "objects");
    StringBuilder out = new StringBuilder();
    for (HasMetadata o : objects) {
      String doc = SERIALIZATION.asYaml(o);
      out.append(doc.startsWith("---") ? "" : "---\n").append(doc);
      if (!doc.endsWith("\n")) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** Reads a stream written by {@link #write} back into model objects. */
  public static List<HasMetadata> read(String yaml) {
    Objects.requireNonNull(yaml, "yaml");
    Object parsed = SERIALIZATION.unmarshal(yaml);
    if (parsed instanceof List<?> list) {
      return list.stream().map(HasMetadata.class::cast).toList();
    }
    if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList list) {
      return list.getItems();
    }
    return List.of((HasMetadata) parsed);
  }
}
