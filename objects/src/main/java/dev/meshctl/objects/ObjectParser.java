package dev.meshctl.objects;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/**
 * Reads Kubernetes-style YAML from files, directories or stdin into validated objects, refusing the whole input
 * if anything in it is wrong.
 *
 * <pre>{@code
 * List<ParsedObject> objects = new ObjectParser().parse(List.of("samples/bookinfo.yaml", "-"), System.in);
 * }</pre>
 *
 * <p>Accepts multi-document YAML (empty documents are skipped), {@code kind: List} with {@code items}, and JSON.
 * Every problem in every source is collected before failing, so one run shows them all.
 */
public final class ObjectParser {
  /** The argument that stands for standard input. */
  public static final String STDIN = "-";
  /** The source name reported for standard input. */
  public static final String STDIN_SOURCE = "<stdin>";

  private final ObjectValidator validator;

  /** Creates a parser that also validates every object with a default {@link ObjectValidator}. */
  public ObjectParser() {
    this(new ObjectValidator());
  }

  /** Creates a parser that validates every object with {@code validator}. */
  public ObjectParser(ObjectValidator validator) {
    this.validator = Objects.requireNonNull(validator, "validator");
  }

  private ObjectParser(Void noValidation) {
    this.validator = null;
  }

  /** Creates a parser that only decodes (strictly: types, unknown fields, kinds) without validating rules. */
  public static ObjectParser withoutValidation() {
    return new ObjectParser((Void) null);
  }

  /**
   * Parses a file, or every {@code *.yaml}, {@code *.yml} and {@code *.json} file directly in a directory
   * (sorted by name).
   *
   * @throws InvalidObjectsException listing every problem found
   */
  public List<ParsedObject> parse(Path fileOrDirectory) {
    Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
    Batch batch = new Batch();
    batch.readPath(fileOrDirectory);
    return batch.finish();
  }

  /**
   * Parses each argument as a file or directory, or {@code -} as {@code stdin}.
   *
   * @throws InvalidObjectsException listing every problem found in any source
   */
  public List<ParsedObject> parse(List<String> arguments, InputStream stdin) {
    Objects.requireNonNull(arguments, "arguments");
    Batch batch = new Batch();
    for (String argument : arguments) {
      if (STDIN.equals(argument)) {
        Objects.requireNonNull(stdin, "stdin");
        batch.read(STDIN_SOURCE, new InputStreamReader(stdin, StandardCharsets.UTF_8));
      } else {
        batch.readPath(Path.of(argument));
      }
    }
    return batch.finish();
  }

  /**
   * Parses YAML text; {@code source} names it in messages.
   *
   * @throws InvalidObjectsException listing every problem found
   */
  public List<ParsedObject> parse(String source, String yaml) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(yaml, "yaml");
    Batch batch = new Batch();
    batch.read(source, new StringReader(yaml));
    return batch.finish();
  }

  /**
   * Parses YAML from a stream (read as UTF-8, not closed); {@code source} names it in messages.
   *
   * @throws InvalidObjectsException listing every problem found
   */
  public List<ParsedObject> parse(String source, InputStream in) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(in, "in");
    Batch batch = new Batch();
    batch.read(source, new InputStreamReader(in, StandardCharsets.UTF_8));
    return batch.finish();
  }

  /** Accumulates objects and problems from several sources, then validates and decides once. */
  private final class Batch {
    private final List<ParsedObject> objects = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();

    void readPath(Path path) {
      String source = path.toString();
      if (Files.isDirectory(path)) {
        List<Path> files;
        try (Stream<Path> entries = Files.list(path)) {
          files = entries.filter(Files::isRegularFile).filter(p -> isObjectFile(p.getFileName().toString()))
              .sorted().toList();
        } catch (IOException e) {
          problems.add(new Problem(source, 0, null, null, "cannot list directory: " + e.getMessage()));
          return;
        }
        files.forEach(this::readFile);
      } else {
        readFile(path);
      }
    }

    private void readFile(Path file) {
      String source = file.toString();
      sources.add(source);
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        read(source, reader);
      } catch (NoSuchFileException e) {
        problems.add(new Problem(source, 0, null, null, "no such file or directory"));
      } catch (IOException | UncheckedIOException e) {
        problems.add(new Problem(source, 0, null, null, "cannot read: " + e.getMessage()));
      }
    }

    void read(String source, Reader reader) {
      sources.add(source);
      int document = 0;
      try (MappingIterator<JsonNode> documents = ObjectYaml.mapper().readerFor(JsonNode.class).readValues(reader)) {
        while (true) {
          document++;
          if (!documents.hasNextValue()) {
            return;
          }
          JsonNode node = documents.nextValue();
          if (node != null && !node.isNull() && !node.isMissingNode()) {
            readDocument(source, document, node);
          }
        }
      } catch (JacksonException e) {
        problems.add(new Problem(source, document, null, null, malformed(e)));
      }
    }

    private void readDocument(String source, int document, JsonNode node) {
      ObjectDecoder.Problems sink = (object, field, message) ->
          problems.add(new Problem(source, document, object, field, message));
      if (node.isObject() && "List".equals(text(node.get("kind")))) {
        JsonNode items = node.get("items");
        if (items == null || !items.isArray()) {
          sink.add("List", "items", "expected a list of objects");
          return;
        }
        for (int i = 0; i < items.size(); i++) {
          String prefix = FieldPath.index("items", i);
          ObjectDecoder.decode(items.get(i), prefix, sink)
              .ifPresent(o -> objects.add(new ParsedObject(source, document, o)));
        }
        return;
      }
      ObjectDecoder.decode(node, "", sink).ifPresent(o -> objects.add(new ParsedObject(source, document, o)));
    }

    List<ParsedObject> finish() {
      Map<String, ParsedObject> seen = new HashMap<>();
      for (ParsedObject parsed : objects) {
        if (validator != null) {
          problems.addAll(validator.validate(parsed));
        }
        ParsedObject first = seen.putIfAbsent(parsed.describe(), parsed);
        if (first != null) {
          problems.add(new Problem(parsed.source(), parsed.document(), parsed.describe(), null,
              "defined twice; also in " + first.source() + " (document " + first.document() + ")"));
        }
      }
      if (!problems.isEmpty()) {
        problems.sort(Comparator.comparingInt((Problem p) -> sources.indexOf(p.source()))
            .thenComparingInt(Problem::document));
        throw new InvalidObjectsException(problems);
      }
      return List.copyOf(objects);
    }
  }

  private static boolean isObjectFile(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return !lower.startsWith(".") && (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"));
  }

  private static String malformed(JacksonException e) {
    Optional<MarkedYamlEngineException> yaml = yamlCause(e);
    if (yaml.isPresent() && yaml.get().getProblemMark().isPresent()) {
      var mark = yaml.get().getProblemMark().get();
      return "malformed YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": "
          + yaml.get().getProblem();
    }
    TokenStreamLocation location = e.getLocation();
    String message = e.getOriginalMessage() == null ? "invalid syntax" : e.getOriginalMessage().lines()
        .findFirst().orElse("invalid syntax");
    if (location == null || location.getLineNr() < 0) {
      return "malformed YAML: " + message;
    }
    return "malformed YAML at line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + message;
  }

  private static Optional<MarkedYamlEngineException> yamlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYamlEngineException marked) {
        return Optional.of(marked);
      }
    }
    return Optional.empty();
  }

  private static String text(JsonNode node) {
    return node != null && node.isString() ? node.asString() : null;
  }
}
