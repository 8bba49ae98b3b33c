package dev.meshctl.objects.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Writes files so that readers see either the old content or the new one, never a partial write. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code content} to a hidden temporary file beside {@code target}, syncs it, and renames it over. */
  static void write(Path target, byte[] content) throws IOException {
    Path directory = target.getParent();
    Files.createDirectories(directory);
    // Dot-prefixed so that watchers and listings skip it; same directory so the rename is atomic.
    Path temp = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Reads {@code file}, or returns null if it does not exist. */
  static byte[] readIfExists(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }
}
