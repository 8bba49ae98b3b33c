package dev.meshctl.objects.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes writers of one store: threads of this process through a lock per root, other processes through a
 * file lock on {@code <root>/.lock} (one JVM may not take two file locks on the same file).
 */
final class StoreLock {
  /** An action that may fail with an I/O error. */
  interface IoAction<T> {
    T run() throws IOException;
  }

  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private StoreLock() {}

  static <T> T withLock(Path root, IoAction<T> action) throws IOException {
    Path key = root.toAbsolutePath().normalize();
    ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
    local.lock();
    try (FileChannel channel = FileChannel.open(key.resolve(".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
         FileLock ignored = channel.lock()) {
      return action.run();
    } finally {
      local.unlock();
    }
  }
}
