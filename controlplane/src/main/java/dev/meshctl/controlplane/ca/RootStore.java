package dev.meshctl.controlplane.ca;

import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the generated root CA somewhere that outlives one control plane process (a Kubernetes Secret), so a restarted
 * or second replica issues under the same root.
 */
public interface RootStore {

    /** Holds a root CA as PEM: its certificate and its private key. */
    record Root(String certPem, String keyPem) {
        public Root {
            Objects.requireNonNull(certPem, "certPem");
            Objects.requireNonNull(keyPem, "keyPem");
        }

        @Override
        public String toString() {
            // Never print the key.
            return "Root[certPem=" + certPem.length() + " chars, keyPem=<redacted>]";
        }
    }

    /** Returns the stored root, or empty when none was stored yet. */
    Optional<Root> load();

    /**
     * Stores {@code root} unless a root is stored already, and returns the root that is stored: {@code root} itself, or
     * the one another replica stored first. Never overwrites.
     */
    Root createIfAbsent(Root root);

    /** Says where the root is kept, for messages ("Secret istio-system/meshctl-ca-secret"). */
    String describe();
}
