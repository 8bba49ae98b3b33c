package dev.meshctl.lab.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshctl.lab.LabException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Reads and writes {@code lab.json} atomically, and locks the lab so two commands never change it at once. */
public final class LabStateFile {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Path dir;

  public LabStateFile(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path file() {
    return dir.resolve("lab.json");
  }

  /** Returns the state, or empty when the lab has none (never brought up, or removed). */
  public Optional<LabState> read() {
    Path f = file();
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(f.toFile(), LabState.class));
    } catch (IOException e) {
      throw new LabException("lab state " + f + " is unreadable (" + e.getMessage()
          + "): run `meshctl lab down` to remove the lab and `meshctl lab up` to start again", e);
    }
  }

  /** Writes the state through a temporary file so a crash never leaves half a file. */
  public void write(LabState state) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".lab", ".json");
      JSON.writeValue(tmp.toFile(), state);
      try {
        Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new LabException("cannot write lab state " + file() + ": " + e.getMessage(), e);
    }
  }

  /** Takes the lab's exclusive lock, waiting for another meshctl command on the same lab to finish. */
  public AutoCloseable lock() {
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.lock();
      return () -> {
        lock.release();
        channel.close();
      };
    } catch (IOException e) {
      throw new LabException("cannot lock lab state in " + dir + ": " + e.getMessage(), e);
    }
  }
}
