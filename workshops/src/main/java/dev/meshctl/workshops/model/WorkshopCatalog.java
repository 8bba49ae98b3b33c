package dev.meshctl.workshops.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Loads workshops from {@code index.yaml} and {@code <name>/workshop.yaml} plus {@code <name>/steps/*.md}; parsing is
 * strict, so a misspelt field fails with the file and the field named.
 */
public final class WorkshopCatalog {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ResourceReader reader;

  public WorkshopCatalog(ResourceReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /** Returns the catalog shipped in this jar. */
  public static WorkshopCatalog shipped() {
    return new WorkshopCatalog(ResourceReader.classpath());
  }

  /** The YAML shape of {@code index.yaml}. */
  record Index(List<String> workshops) {}

  /** The YAML shape of {@code workshop.yaml}. */
  record WorkshopFile(String title, String summary, Prerequisites prerequisites, List<String> files,
      List<Step> steps) {}

  /** Lists workshop names in index order. */
  public List<String> names() {
    Index index = parse("index.yaml", Index.class);
    return index.workshops() == null ? List.of() : List.copyOf(index.workshops());
  }

  /** Loads every workshop in the index. */
  public List<Workshop> all() {
    return names().stream().map(this::load).toList();
  }

  /** Loads workshop {@code wanted} (its full name, number or title part); fails naming the choices when it is not in the index. */
  public Workshop load(String wanted) {
    Objects.requireNonNull(wanted, "wanted");
    List<String> names = names();
    // "ambient-basics" and "01" both find "01-ambient-basics".
    String name = names.contains(wanted) ? wanted : names.stream()
        .filter(n -> n.endsWith("-" + wanted) || n.startsWith(wanted + "-")).findFirst()
        .orElseThrow(() -> new WorkshopFormatException("no workshop \"" + wanted + "\": choose one of "
            + String.join(", ", names) + " (`meshctl workshop list`)"));
    String file = name + "/workshop.yaml";
    WorkshopFile raw = parse(file, WorkshopFile.class);
    if (raw.title() == null) {
      throw new WorkshopFormatException(file + ": field \"title\" is required");
    }
    List<Step> steps = new ArrayList<>();
    for (Step step : raw.steps() == null ? List.<Step>of() : raw.steps()) {
      String instructions = step.instructions().isBlank() ? "" : reader.text(name + "/" + step.instructions());
      steps.add(step.withInstructions(instructions));
    }
    Workshop workshop = new Workshop(name, raw.title(), raw.summary(), raw.prerequisites(), raw.files(), steps);
    for (String f : workshop.files()) {
      if (reader.read(name + "/" + f).isEmpty()) {
        throw new WorkshopFormatException(file + ": listed file \"" + f + "\" is not shipped beside it");
      }
    }
    WorkshopValidator.validate(file, workshop);
    return workshop;
  }

  /** Copies the workshop's shipped files into {@code dir} (created when missing) and returns {@code dir}. */
  public Path extract(Workshop workshop, Path dir) {
    try {
      Files.createDirectories(dir);
      for (String f : workshop.files()) {
        Path target = dir.resolve(f).normalize();
        if (!target.startsWith(dir)) {
          throw new WorkshopFormatException(workshop.name() + ": file \"" + f + "\" leaves the workshop folder");
        }
        Files.createDirectories(target.getParent());
        Files.write(target, reader.read(workshop.name() + "/" + f).orElseThrow());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the files of workshop " + workshop.name() + " to " + dir, e);
    }
  }

  private <T> T parse(String file, Class<T> type) {
    byte[] bytes = reader.read(file).orElseThrow(() -> new WorkshopFormatException("missing workshop file " + file));
    try {
      T value = YAML.readValue(bytes, type);
      if (value == null) {
        throw new WorkshopFormatException(file + " is empty");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : " (known fields: " + e.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
      throw new WorkshopFormatException(file + ": unknown field \"" + e.getPropertyName() + "\" at "
          + path(e) + known, e);
    } catch (JsonMappingException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root instanceof IllegalArgumentException || root instanceof NullPointerException
          ? root.getMessage() : e.getOriginalMessage();
      throw new WorkshopFormatException(file + ": bad value at " + path(e) + ": " + why, e);
    } catch (JsonProcessingException e) {
      throw new WorkshopFormatException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      }
    }
    return sb.length() == 0 ? "the top level" : sb.toString();
  }
}
