package dev.meshctl.workshops.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Reads workshop files by path (relative to the {@code workshops/} root). */
@FunctionalInterface
public interface ResourceReader {

  /** Returns the bytes of {@code path}, or empty when there is no such file. */
  Optional<byte[]> read(String path);

  /** Returns the text of {@code path} or fails naming it. */
  default String text(String path) {
    return new String(read(path).orElseThrow(() -> new WorkshopFormatException("missing workshop file " + path)),
        StandardCharsets.UTF_8);
  }

  /** Reads from the classpath under {@code workshops/}. */
  static ResourceReader classpath() {
    return path -> {
      try (InputStream in = ResourceReader.class.getClassLoader().getResourceAsStream("workshops/" + path)) {
        return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read workshop resource " + path, e);
      }
    };
  }

  /** Reads from an in-memory map of texts (for tests and tools). */
  static ResourceReader of(Map<String, String> files) {
    return path -> Optional.ofNullable(files.get(path)).map(s -> s.getBytes(StandardCharsets.UTF_8));
  }
}
