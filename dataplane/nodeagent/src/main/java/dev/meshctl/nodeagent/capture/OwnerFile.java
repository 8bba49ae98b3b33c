package dev.meshctl.nodeagent.capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * Records which agent process owns the node's capture rules ({@value #NAME} in the agent's runtime directory). It is
 * replaced atomically, so a reader sees the old owner or the new one, never half a line.
 */
public final class OwnerFile {

    /** The file name inside the runtime directory. */
    public static final String NAME = "capture-owner";

    private final Path file;

    /** Creates a view of the owner file in {@code runtimeDir}. */
    public OwnerFile(Path runtimeDir) {
        this.file = Objects.requireNonNull(runtimeDir, "runtimeDir").resolve(NAME);
    }

    /** Returns the recorded owner, empty when there is none or the file is unreadable. */
    public Optional<RuleOwner> read() {
        try {
            return Files.exists(file) ? RuleOwner.parse(Files.readString(file, StandardCharsets.US_ASCII))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records {@code owner}, replacing whoever was recorded. */
    public void write(RuleOwner owner) {
        Objects.requireNonNull(owner, "owner");
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + NAME, ".tmp");
            Files.writeString(tmp, owner.format() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the capture rules' owner in " + file + ": "
                    + e.getMessage() + "; check that the runtime directory is writable", e);
        }
    }

    /** Removes the record if it still names {@code owner} (a successor's record is left alone). */
    public void clear(RuleOwner owner) {
        Objects.requireNonNull(owner, "owner");
        if (read().filter(owner::equals).isPresent()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stale record names a dead process, which every reader treats as no owner
            }
        }
    }

    /** Returns the file's path. */
    public Path path() {
        return file;
    }
}
