package dev.meshctl.controlplane.ca;

import dev.meshctl.core.identity.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Persists the generated root CA in a directory as {@code root-cert.pem} and {@code root-key.pem}
 * (the key readable by the owner only), so a restarted control plane keeps issuing under the same root.
 */
public final class CaFiles {

    /** The root certificate's file name. */
    public static final String ROOT_CERT = "root-cert.pem";
    /** The root private key's file name (mode 0600). */
    public static final String ROOT_KEY = "root-key.pem";

    private CaFiles() {
    }

    /**
     * Writes {@code ca}'s root certificate and key into {@code dir}.
     *
     * @throws IllegalArgumentException if {@code ca} is a plug-in intermediate, whose files belong to its operator
     */
    public static void save(MeshCa ca, Path dir) {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(dir, "dir");
        if (!ca.isRoot()) {
            throw new IllegalArgumentException("only a root CA is saved by meshctl; a plug-in intermediate CA stays"
                    + " in the files it was loaded from");
        }
        // Key first: a certificate without its key would be loaded as a CA that cannot sign.
        PrivateFiles.write(dir.resolve(ROOT_KEY), Pem.encodePrivateKey(ca.signingKey()), true);
        PrivateFiles.write(dir.resolve(ROOT_CERT), Pem.encodeCertificate(ca.signingCertificate()), false);
    }

    /** Returns whether {@code dir} holds a saved root (both files). */
    public static boolean exists(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return Files.isRegularFile(dir.resolve(ROOT_CERT)) && Files.isRegularFile(dir.resolve(ROOT_KEY));
    }

    /** Loads the root saved in {@code dir}; see {@link MeshCa#load}. */
    public static MeshCa load(Path dir, String trustDomain, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        return MeshCa.load(dir.resolve(ROOT_CERT), dir.resolve(ROOT_KEY), Optional.empty(), trustDomain, clock);
    }

    /** Loads the root saved in {@code dir}, or generates and saves a new one if there is none. */
    public static MeshCa loadOrGenerate(Path dir, String trustDomain, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        if (exists(dir)) {
            return load(dir, trustDomain, clock);
        }
        MeshCa ca = MeshCa.generateRoot(trustDomain, clock);
        save(ca, dir);
        return ca;
    }
}
