package dev.meshctl.controlplane.ca;

import dev.meshctl.core.identity.Pem;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the root CA from a {@link RootStore}, or generates one and stores it create-only, so replicas racing on a
 * first start all end with the root that was stored first. The root is also written to a directory in
 * {@link CaFiles}' layout, where the control plane loads it from.
 */
public final class StoredRoots {

    private static final Logger LOG = LoggerFactory.getLogger(StoredRoots.class);

    private StoredRoots() {
    }

    /**
     * Returns the stored root (generating and storing one if there is none), after writing it into {@code dir}.
     *
     * @throws dev.meshctl.core.identity.IdentityException if the stored certificate and key do not make a CA
     */
    public static MeshCa loadOrCreate(RootStore store, Path dir, String trustDomain, Clock clock) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(clock, "clock");
        RootStore.Root root = store.load().orElseGet(() -> {
            MeshCa generated = MeshCa.generateRoot(trustDomain, clock);
            RootStore.Root mine = new RootStore.Root(Pem.encodeCertificate(generated.signingCertificate()),
                    Pem.encodePrivateKey(generated.signingKey()));
            RootStore.Root stored = store.createIfAbsent(mine);
            LOG.info(stored.equals(mine) ? "generated a new root CA and stored it in {}"
                    : "another replica stored a root CA in {} first: using that one", store.describe());
            return stored;
        });
        // Key first, as CaFiles does: a certificate without its key would be loaded as a CA that cannot sign.
        PrivateFiles.write(dir.resolve(CaFiles.ROOT_KEY), root.keyPem(), true);
        PrivateFiles.write(dir.resolve(CaFiles.ROOT_CERT), root.certPem(), false);
        return CaFiles.load(dir, trustDomain, clock);
    }
}
