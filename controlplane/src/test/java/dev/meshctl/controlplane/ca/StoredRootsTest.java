package dev.meshctl.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshctl.core.identity.IdentityException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredRootsTest {
    @TempDir
    Path dir;

    /** Holds one root, create-only; {@code blind} makes load() miss it, as a replica that looked before the other stored. */
    private static final class MemoryStore implements RootStore {
        final AtomicReference<Root> root = new AtomicReference<>();
        boolean blind;

        @Override
        public Optional<Root> load() {
            return blind ? Optional.empty() : Optional.ofNullable(root.get());
        }

        @Override
        public Root createIfAbsent(Root candidate) {
            return root.compareAndSet(null, candidate) ? candidate : root.get();
        }

        @Override
        public String describe() {
            return "memory";
        }
    }

    @Test
    void aRestartedControlPlaneKeepsTheStoredRoot() {
        MemoryStore store = new MemoryStore();
        MeshCa first = StoredRoots.loadOrCreate(store, dir.resolve("a"), "cluster.local", Clock.systemUTC());
        // A restarted pod has a fresh emptyDir: only the store remembers the root.
        MeshCa second = StoredRoots.loadOrCreate(store, dir.resolve("b"), "cluster.local", Clock.systemUTC());

        assertThat(second.root()).isEqualTo(first.root());
        assertThat(CaFiles.exists(dir.resolve("b"))).isTrue();
        assertThat(CaFiles.load(dir.resolve("b"), "cluster.local", Clock.systemUTC()).root()).isEqualTo(first.root());
    }

    @Test
    void replicasRacingOnAFirstStartEndWithOneRoot() {
        MemoryStore store = new MemoryStore();
        store.blind = true;
        MeshCa one = StoredRoots.loadOrCreate(store, dir.resolve("one"), "cluster.local", Clock.systemUTC());
        MeshCa two = StoredRoots.loadOrCreate(store, dir.resolve("two"), "cluster.local", Clock.systemUTC());
        assertThat(two.root()).as("the loser uses the winner's root").isEqualTo(one.root());
    }

    @Test
    void aStoredKeyThatDoesNotMatchItsCertificateIsRefused() {
        MemoryStore store = new MemoryStore();
        MeshCa a = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
        MeshCa b = MeshCa.generateRoot("cluster.local", Clock.systemUTC());
        store.root.set(new RootStore.Root(dev.meshctl.core.identity.Pem.encodeCertificate(a.signingCertificate()),
                dev.meshctl.core.identity.Pem.encodePrivateKey(b.signingKey())));
        assertThatThrownBy(() -> StoredRoots.loadOrCreate(store, dir, "cluster.local", Clock.systemUTC()))
                .isInstanceOf(IdentityException.class).hasMessageContaining("does not belong to the certificate");
        assertThat(store.root.get().toString()).contains("<redacted>").doesNotContain("PRIVATE");
    }
}
