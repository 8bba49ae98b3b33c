package dev.meshctl.cli;

import dev.meshctl.objects.ObjectParser;
import dev.meshctl.objects.ParsedObject;
import java.io.InputStream;
import java.util.List;

/** Reads the objects named by {@code -f} arguments (files, directories, {@code -} for stdin), validated. */
final class ObjectInput {
  private ObjectInput() {}

  static List<ParsedObject> read(List<String> sources, InputStream stdin) {
    return new ObjectParser().parse(sources, stdin);
  }
}
