package dev.meshctl.objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Decodes one YAML document (already a tree) into a model object, reporting every problem it can name by field:
 * missing or unsupported apiVersion/kind, wrong value types and unknown fields.
 */
final class ObjectDecoder {
  /** Receives problems about the document being decoded. */
  interface Problems {
    void add(String object, String field, String message);
  }

  private ObjectDecoder() {}

  /**
   * Decodes {@code node}, found at {@code prefix} in its document ({@code ""} at top level, {@code items[2]} in
   * a List), and gives a missing namespace the default one.
   */
  static Optional<HasMetadata> decode(JsonNode node, String prefix, Problems problems) {
    if (!node.isObject()) {
      problems.add(null, emptyToNull(prefix), "expected an object with apiVersion and kind, got " + describe(node));
      return Optional.empty();
    }
    String apiVersion = text(node.get("apiVersion"));
    String kindName = text(node.get("kind"));
    if (apiVersion == null || kindName == null) {
      String missing = apiVersion == null ? "apiVersion" : "kind";
      problems.add(null, FieldPath.child(prefix, missing), "missing; every object needs apiVersion and kind");
      return Optional.empty();
    }
    Optional<Kind> kind = Kinds.find(apiVersion, kindName);
    String label = label(node, kindName, kind.map(Kind::namespaced).orElse(true));
    if (kind.isEmpty()) {
      String field = Kinds.findByName(kindName).isPresent() ? "apiVersion" : "kind";
      problems.add(label, FieldPath.child(prefix, field), Kinds.unsupported(apiVersion, kindName));
      return Optional.empty();
    }
    HasMetadata object;
    try {
      object = ObjectYaml.mapper().treeToValue(node, kind.get().type());
    } catch (DatabindException e) {
      problems.add(label, path(prefix, e), typeMessage(node, e));
      return Optional.empty();
    } catch (JacksonException e) {
      problems.add(label, emptyToNull(prefix), firstLine(e.getOriginalMessage()));
      return Optional.empty();
    }
    List<UnknownFields.Unknown> unknown = UnknownFields.find(object, prefix);
    unknown.forEach(u -> problems.add(label, u.path(), u.message()));
    if (!unknown.isEmpty()) {
      return Optional.empty();
    }
    if (object.getMetadata() == null) {
      object.setMetadata(new ObjectMeta());
    }
    if (kind.get().namespaced() && isBlank(object.getMetadata().getNamespace())) {
      object.getMetadata().setNamespace(Kinds.DEFAULT_NAMESPACE);
    }
    return Optional.of(object);
  }

  private static String label(JsonNode node, String kind, boolean namespaced) {
    JsonNode meta = node.get("metadata");
    String name = meta == null ? null : text(meta.get("name"));
    String namespace = meta == null ? null : text(meta.get("namespace"));
    return Kinds.describe(kind, namespace, name, namespaced);
  }

  private static String path(String prefix, DatabindException e) {
    String path = prefix;
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        path = FieldPath.child(path, ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path = FieldPath.index(path, ref.getIndex());
      }
    }
    if (e instanceof UnrecognizedPropertyException u && !path.endsWith(u.getPropertyName())) {
      path = FieldPath.child(path, u.getPropertyName());
    }
    return emptyToNull(path);
  }

  private static String typeMessage(JsonNode document, DatabindException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = u.getKnownPropertyIds() == null ? List.of()
          : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      return "unknown field \"" + u.getPropertyName() + "\" (check spelling and indentation); known fields here: "
          + String.join(", ", known);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      JsonNode actual = at(document, e.getPath());
      return "expected " + expected(m.getTargetType()) + ", got " + (actual == null ? "something else"
          : describe(actual));
    }
    return firstLine(e.getOriginalMessage());
  }

  private static JsonNode at(JsonNode node, List<JacksonException.Reference> path) {
    JsonNode current = node;
    for (JacksonException.Reference ref : path) {
      if (current == null) {
        return null;
      }
      current = ref.getPropertyName() != null ? current.get(ref.getPropertyName())
          : ref.getIndex() >= 0 ? current.get(ref.getIndex()) : current;
    }
    return current;
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.getSimpleName().equals("IntOrString")) {
      return "an integer or a name";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a map of key: value";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  /** Describes a YAML value for a message: strings quoted, scalars as written, containers by shape. */
  static String describe(JsonNode node) {
    if (node.isString()) {
      return "\"" + node.asString() + "\"";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "an object";
    }
    return node.toString();
  }

  private static String text(JsonNode node) {
    return node != null && node.isString() && !node.asString().isEmpty() ? node.asString() : null;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid value";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
