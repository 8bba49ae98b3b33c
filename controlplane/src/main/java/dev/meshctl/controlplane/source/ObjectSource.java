package dev.meshctl.controlplane.source;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.Closeable;
import java.util.List;

/** Supplies the current objects of the mesh and says when they change. */
public interface ObjectSource {

  /** Returns every object the source holds now (namespaces, pods, services, policies, gateways, routes...). */
  List<HasMetadata> list();

  /** Calls {@code onChange} after any change, possibly coalesced; closing stops the calls. */
  Closeable watch(Runnable onChange);
}
