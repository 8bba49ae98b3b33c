package dev.meshctl.lab;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Locale;

/** Names objects the way kubectl prints them: {@code deployment.apps/reviews-v1}, {@code service/details}. */
public final class ObjectNames {
  private ObjectNames() {}

  /** Returns {@code kind[.group]/name}. */
  public static String of(HasMetadata o) {
    String api = o.getApiVersion() == null ? "" : o.getApiVersion();
    int slash = api.indexOf('/');
    String group = slash < 0 ? "" : api.substring(0, slash);
    String kind = o.getKind() == null ? o.getClass().getSimpleName() : o.getKind();
    return kind.toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group) + "/" + o.getMetadata().getName();
  }
}
