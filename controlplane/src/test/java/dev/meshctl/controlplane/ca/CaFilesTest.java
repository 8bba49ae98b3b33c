package dev.meshctl.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaFilesTest {

    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    @Test
    void savesTheRootWithAnOwnerOnlyKeyAndLoadsItBack() throws Exception {
        MeshCa ca = MeshCa.generateRoot("cluster.local", CLOCK);

        CaFiles.save(ca, dir);

        assertThat(Files.readString(dir.resolve(CaFiles.ROOT_CERT))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dir.resolve(CaFiles.ROOT_KEY))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(CaFiles.ROOT_KEY))))
                .isEqualTo("rw-------");
        assertThat(CaFiles.load(dir, "cluster.local", CLOCK).root()).isEqualTo(ca.root());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(CaFiles.ROOT_CERT, CaFiles.ROOT_KEY);
        }
    }

    @Test
    void generatesOnceAndThenKeepsTheSameRoot() {
        Path caDir = dir.resolve("ca");

        MeshCa first = CaFiles.loadOrGenerate(caDir, "cluster.local", CLOCK);
        MeshCa second = CaFiles.loadOrGenerate(caDir, "cluster.local", CLOCK);

        assertThat(CaFiles.exists(caDir)).isTrue();
        assertThat(second.root()).isEqualTo(first.root());
    }

    @Test
    void refusesToSaveAPlugInIntermediate() throws Exception {
        TestCas.PlugIn files = TestCas.intermediate(MeshCa.generateRoot("cluster.local", CLOCK), dir, CLOCK.instant(), true);
        MeshCa intermediate = MeshCa.load(files.cert(), files.key(), Optional.of(files.chain()), "cluster.local", CLOCK);

        assertThatThrownBy(() -> CaFiles.save(intermediate, dir.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plug-in intermediate");
    }
}
