package dev.meshctl.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void authenticatesTheNodeATokenWasIssuedTo() {
        NodeCredentials credentials = NodeCredentials.inMemory();
        String one = credentials.issue("node-1");
        String two = credentials.issue("node-2");

        assertThat(one).isNotEqualTo(two).hasSizeGreaterThanOrEqualTo(40);
        assertThat(credentials.authenticate(one)).contains("node-1");
        assertThat(credentials.authenticate(two)).contains("node-2");
        assertThat(credentials.authenticate("wrong")).isEmpty();
        assertThat(credentials.authenticate("")).isEmpty();
    }

    @Test
    void reissuingReplacesTheOldToken() {
        NodeCredentials credentials = NodeCredentials.inMemory();
        String old = credentials.issue("node-1");
        String fresh = credentials.issue("node-1");

        assertThat(credentials.authenticate(old)).isEmpty();
        assertThat(credentials.authenticate(fresh)).contains("node-1");
    }

    @Test
    void revokedTokensNoLongerAuthenticate() {
        NodeCredentials credentials = NodeCredentials.inMemory();
        String token = credentials.issue("node-1");

        credentials.revoke("node-1");

        assertThat(credentials.authenticate(token)).isEmpty();
    }

    @Test
    void storesOnlyHashesInAnOwnerOnlyFileThatSurvivesRestarts() throws Exception {
        Path file = dir.resolve("state/node-tokens");
        String token = NodeCredentials.open(file).issue("node-1");

        String stored = Files.readString(file);
        assertThat(stored).doesNotContain(token).contains("node-1 ");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(NodeCredentials.open(file).authenticate(token)).contains("node-1");
    }

    @Test
    void refusesUnusableNodeNamesAndCorruptFiles() throws Exception {
        NodeCredentials credentials = NodeCredentials.inMemory();
        assertThatThrownBy(() -> credentials.issue("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> credentials.issue("node 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> credentials.issue("node\n2")).isInstanceOf(IllegalArgumentException.class);

        Path corrupt = Files.writeString(dir.resolve("corrupt"), "node-1 abc\n");
        assertThatThrownBy(() -> NodeCredentials.open(corrupt))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }
}
