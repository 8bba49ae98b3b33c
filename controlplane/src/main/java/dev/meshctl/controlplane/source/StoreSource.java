package dev.meshctl.controlplane.source;

import dev.meshctl.objects.store.ObjectStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;

/** Reads the lab's object store (one YAML file per object) and watches it. */
public final class StoreSource implements ObjectSource {
  private final ObjectStore store;

  public StoreSource(ObjectStore store) {
    this.store = store;
  }

  @Override
  public List<HasMetadata> list() {
    return store.listAll();
  }

  @Override
  public Closeable watch(Runnable onChange) {
    return store.watch(event -> onChange.run(), Duration.ofSeconds(2));
  }
}
