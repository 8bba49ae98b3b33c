package dev.meshctl.controlplane.server;

import dev.meshctl.controlplane.model.MeshConfig;
import dev.meshctl.controlplane.model.MeshModel;
import dev.meshctl.controlplane.push.Snapshot;
import dev.meshctl.controlplane.translate.Translation;
import dev.meshctl.controlplane.translate.Translator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the model from the objects and translates it into one snapshot per proxy; logs translation warnings. */
public final class MeshTranslation implements Function<List<HasMetadata>, Map<String, Snapshot>> {
  private static final Logger LOG = LoggerFactory.getLogger(MeshTranslation.class);
  private final MeshConfig config;
  private final Translator translator = new Translator();
  private volatile Translation last;
  private MeshModel model;

  public MeshTranslation(MeshConfig config) {
    this.config = config;
  }

  /** Returns the translation for a control plane's options (trust domain and nodes). */
  public static MeshTranslation forOptions(ControlPlaneOptions options) {
    return new MeshTranslation(new MeshConfig(options.trustDomain(), MeshConfig.DEFAULT_ROOT_NAMESPACE,
        MeshConfig.DEFAULT_CLUSTER_DOMAIN, options.nodes()));
  }

  /** Translates the objects; indexes only what changed since the previous call (see {@link MeshModel#update}). */
  @Override
  public synchronized Map<String, Snapshot> apply(List<HasMetadata> objects) {
    MeshModel next = model == null ? MeshModel.of(objects, config) : MeshModel.update(model, objects);
    Translation t = translator.translate(next);
    model = next;
    Translation previous = last;
    if (previous == null || !previous.warnings().equals(t.warnings())) {
      t.warnings().forEach(w -> LOG.warn("{}", w));
    }
    last = t;
    return t.snapshots();
  }

  /** Returns the last translation (for waypoint binding status). */
  public Translation last() {
    return last;
  }
}
